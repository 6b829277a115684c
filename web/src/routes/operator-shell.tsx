import { createRoute, Link, Outlet, redirect, useNavigate, useRouter } from "@tanstack/react-router";
import { useEffect } from "react";
import { LanguageSwitch } from "../components/language-switch";
import { useOperatorSignOut } from "../features/operator/api/sign-out";
import {
  getOperatorSession,
  type OperatorRole,
  onOperatorSessionEnded,
  setOperatorSession,
  useOperatorSession,
} from "../features/operator/lib/session";
import { operatorMessages } from "../features/operator/messages";
import { common, useT } from "../lib/i18n";
import { rootRoute } from "./root";

type ConsolePath = "/operator/inbox" | "/operator/tenants" | "/operator/usage" | "/operator/reconciliation" | "/operator/unbillable";
type NavKey = "nav.inbox" | "nav.tenants" | "nav.usage" | "nav.reconciliation" | "nav.unbillable";

/** The console's views per role, in order: what the API lets that role read. */
const NAV: Record<OperatorRole, readonly { to: ConsolePath; label: NavKey }[]> = {
  SUPPORT: [
    { to: "/operator/inbox", label: "nav.inbox" },
    { to: "/operator/tenants", label: "nav.tenants" },
  ],
  FINANCE: [
    { to: "/operator/usage", label: "nav.usage" },
    { to: "/operator/reconciliation", label: "nav.reconciliation" },
    { to: "/operator/unbillable", label: "nav.unbillable" },
    { to: "/operator/tenants", label: "nav.tenants" },
  ],
};

/** Where an operator lands: their role's first view. */
export const homeOf = (role: OperatorRole): ConsolePath => NAV[role][0]?.to ?? "/operator/tenants";

function OperatorShell() {
  const session = useOperatorSession();
  const navigate = useNavigate();
  const router = useRouter();
  const { queryClient } = operatorShellRoute.useRouteContext();
  const signOut = useOperatorSignOut();
  const t = useT(operatorMessages);
  const c = useT(common);

  // A token that stops working (expired, signed out elsewhere): sign in again, then back to this view.
  useEffect(
    () =>
      onOperatorSessionEnded(() => {
        queryClient.removeQueries({ queryKey: ["operator"] });
        void navigate({ to: "/operator/sign-in", search: { reason: "expired", redirect: router.state.location.href } });
      }),
    [navigate, queryClient, router],
  );
  if (!session) return null; // the session just ended; the sign-in page is on its way

  const finish = () => {
    setOperatorSession(undefined);
    queryClient.removeQueries({ queryKey: ["operator"] });
    void navigate({ to: "/operator/sign-in", search: { reason: "signed-out" } });
  };
  const { role, email } = session.operator;
  return (
    <div className="shell operator-shell">
      <a className="skip-link" href="#main">
        {c("shell.skip")}
      </a>
      <header className="topbar">
        <span className="brand">{t("console.name")}</span>
        <nav aria-label={t("console.nav")}>
          {NAV[role].map((item) => (
            <Link key={item.to} to={item.to} activeProps={{ "aria-current": "page", className: "active" }}>
              {t(item.label)}
            </Link>
          ))}
        </nav>
        <span className="who">
          <span className="email">{email}</span>
          <span className="badge">{t(`role.${role}`)}</span>
        </span>
        <button type="button" onClick={() => signOut.mutate(session.token, { onSettled: finish })} disabled={signOut.isPending}>
          {c("shell.signOut")}
        </button>
        <LanguageSwitch />
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** Every view of the console, behind the operator's own sign-in (a member's session does not count). */
export const operatorShellRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/operator",
  beforeLoad: ({ location }) => {
    if (!getOperatorSession()) throw redirect({ to: "/operator/sign-in", search: { redirect: location.href } });
  },
  component: OperatorShell,
});

/** /operator itself: the role's first view. */
export const operatorIndexRoute = createRoute({
  getParentRoute: () => operatorShellRoute,
  path: "/",
  beforeLoad: () => {
    const session = getOperatorSession();
    throw redirect({ to: session ? homeOf(session.operator.role) : "/operator/sign-in" });
  },
});
