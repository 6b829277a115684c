import { createRoute, Link, useRouter } from "@tanstack/react-router";
import { LanguageSwitch } from "../components/language-switch";
import { OperatorSignInForm } from "../features/operator/components/sign-in-form";
import { setOperatorSession } from "../features/operator/lib/session";
import { operatorMessages } from "../features/operator/messages";
import { common, useT } from "../lib/i18n";
import { rootRoute } from "./root";

const REASONS = ["expired", "signed-out"] as const;
type Reason = (typeof REASONS)[number];

export interface OperatorSignInSearch {
  /** Where to return once signed in: a console path only. */
  redirect?: string;
  reason?: Reason;
}

/** Only a path inside the console: a member's page (or another site) is never where an operator sign-in leads. */
const consolePath = (value: unknown): string | undefined =>
  typeof value === "string" && /^\/operator(\/|$|\?)/.test(value) && !value.startsWith("//") ? value : undefined;

function validateSearch(search: Record<string, unknown>): OperatorSignInSearch {
  const reason = REASONS.find((r) => r === search.reason);
  const redirect = consolePath(search.redirect);
  return { ...(redirect ? { redirect } : {}), ...(reason ? { reason } : {}) };
}

function OperatorSignInPage() {
  const search = operatorSignInRoute.useSearch();
  const router = useRouter();
  const { queryClient } = operatorSignInRoute.useRouteContext();
  const t = useT(operatorMessages);
  const c = useT(common);
  return (
    <main className="centered operator-shell">
      <title>{c("app.title", { page: t("signIn.title") })}</title>
      <div className="card">
        <h1>{t("signIn.title")}</h1>
        <p className="muted">{t("signIn.lead")}</p>
        {search.reason === "expired" && (
          <p role="status" className="notice notice-warning">
            {t("signIn.expired")}
          </p>
        )}
        {search.reason === "signed-out" && (
          <p role="status" className="notice">
            {t("signIn.signedOut")}
          </p>
        )}
        <OperatorSignInForm
          onSignedIn={(session) => {
            queryClient.removeQueries({ queryKey: ["operator"] });
            setOperatorSession(session);
            router.history.push(search.redirect ?? "/operator");
          }}
        />
        <p className="muted">
          <Link to="/sign-in">{t("signIn.memberLink")}</Link>
        </p>
        <LanguageSwitch />
      </div>
    </main>
  );
}

/** The operators' own sign-in page, outside the console's shell. */
export const operatorSignInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/operator/sign-in",
  validateSearch,
  component: OperatorSignInPage,
});
