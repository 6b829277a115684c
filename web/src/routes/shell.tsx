import { createRoute, Link, Outlet, redirect, useNavigate, useRouterState } from "@tanstack/react-router";
import { LanguageSwitch } from "../components/language-switch";
import { useSignOut } from "../features/auth/api/sign-out";
import { BillingBanner } from "../features/billing/components/billing-banner";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { TenantSwitcher } from "../features/tenants/components/tenant-switcher";
import { common, useT } from "../lib/i18n";
import { getSession, setSession, useSession } from "../lib/session";
import { NAV_ITEMS } from "./nav";
import { rootRoute } from "./root";

const ROLES = ["OWNER", "ADMIN", "ENGINEER", "VIEWER", "FINANCE"] as const;
const isRole = (role: string): role is (typeof ROLES)[number] => (ROLES as readonly string[]).includes(role);

function Shell() {
  const session = useSession();
  const navigate = useNavigate();
  const here = useRouterState({ select: (s) => s.location.href });
  const { queryClient } = shellRoute.useRouteContext();
  const member = useCurrentMember(session?.token ?? "");
  const signOut = useSignOut();
  const t = useT(common);
  if (!session) return null; // the session just ended; the sign-in page is on its way

  const finish = () => {
    setSession(undefined);
    queryClient.clear();
    void navigate({ to: "/sign-in", search: { reason: "signed-out" } });
  };
  const tenantName = member.data?.tenant.name ?? session.tenants.find((t) => t.id === session.tenantId)?.name ?? "";
  const viewer = member.data?.viewer;
  const role = viewer?.role;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("shell.skip")}
      </a>
      <header className="topbar">
        <span className="brand">{t("app.name")}</span>
        <nav aria-label={t("shell.mainNav")}>
          {viewer &&
            NAV_ITEMS.filter((item) => item.visible(viewer)).map((item) => (
              <Link key={item.to} to={item.to} activeProps={{ "aria-current": "page", className: "active" }}>
                {t(item.label)}
              </Link>
            ))}
        </nav>
        <TenantSwitcher
          current={{ id: session.tenantId, name: tenantName }}
          tenants={session.tenants}
          onSwitch={(tenant) =>
            navigate({ to: "/sign-in", search: { reason: "switch", tenant, redirect: here }, state: { email: session.email } })
          }
        />
        <span className="who">
          <span className="email">{session.email}</span>
          {role && <span className="badge">{isRole(role) ? t(`role.${role}`) : role}</span>}
        </span>
        <button type="button" onClick={() => signOut.mutate(session.token, { onSettled: finish })} disabled={signOut.isPending}>
          {t("shell.signOut")}
        </button>
        <LanguageSwitch />
      </header>
      <BillingBanner />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

/** Every page behind sign-in; without a session, the sign-in page, then back here. */
export const shellRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "signed-in",
  beforeLoad: ({ location }) => {
    if (!getSession()) throw redirect({ to: "/sign-in", search: { redirect: location.href } });
  },
  component: Shell,
});
