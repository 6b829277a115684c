import { createRoute, Link, useRouter, useRouterState } from "@tanstack/react-router";
import { LanguageSwitch } from "../components/language-switch";
import { SignInForm } from "../features/auth/components/sign-in-form";
import { authMessages } from "../features/auth/messages";
import { common, useT } from "../lib/i18n";
import { safeReturnPath } from "../lib/redirect";
import { getSession, setSession } from "../lib/session";
import { rootRoute } from "./root";

const REASONS = ["expired", "signed-out", "signed-up", "switch"] as const;
type Reason = (typeof REASONS)[number];

export interface SignInSearch {
  /** Where to return once signed in (a path of this site). */
  redirect?: string;
  reason?: Reason;
  /** The tenant to open: set by the tenant switcher. */
  tenant?: string;
}

const optionalText = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);

function validateSignInSearch(search: Record<string, unknown>): SignInSearch {
  const reason = REASONS.find((r) => r === search.reason);
  return {
    ...(optionalText(search.redirect) ? { redirect: optionalText(search.redirect) } : {}),
    ...(reason ? { reason } : {}),
    ...(optionalText(search.tenant) ? { tenant: optionalText(search.tenant) } : {}),
  };
}

function Notice({ reason, email, tenantName }: { reason: Reason | undefined; email: string | undefined; tenantName: string | undefined }) {
  const t = useT(authMessages);
  switch (reason) {
    case undefined:
      return null;
    case "expired":
      return (
        <p role="status" className="notice notice-warning">
          {t("signIn.expired")}
        </p>
      );
    case "signed-out":
      return (
        <p role="status" className="notice">
          {t("signIn.signedOut")}
        </p>
      );
    case "signed-up":
      return (
        <p role="status" className="notice notice-success">
          {t("signIn.signedUp", { email: email ?? t("signIn.yourAddress") })}
        </p>
      );
    case "switch":
      return (
        <p role="status" className="notice">
          {t("signIn.switch", { tenant: tenantName ?? t("signIn.otherCompany") })}
        </p>
      );
  }
}

function SignInPage() {
  const search = signInRoute.useSearch();
  const email = useRouterState({ select: (s) => s.location.state.email });
  const router = useRouter();
  const { queryClient } = signInRoute.useRouteContext();
  const known = getSession()?.tenants ?? [];
  const tenantName = known.find((tenant) => tenant.id === search.tenant)?.name || undefined;
  const t = useT(authMessages);
  const c = useT(common);
  return (
    <main className="centered">
      <title>{c("app.title", { page: t("signIn.title") })}</title>
      <LanguageSwitch />
      <div className="card">
        <h1>{t("signIn.title")}</h1>
        <Notice reason={search.reason} email={email} tenantName={tenantName} />
        <SignInForm
          email={email ?? getSession()?.email}
          tenantId={search.tenant}
          knownTenants={known}
          onSignedIn={(session) => {
            queryClient.clear();
            setSession(session);
            router.history.push(safeReturnPath(search.redirect));
          }}
        />
        {search.reason === "switch" && getSession() ? (
          <p className="muted">
            <button type="button" onClick={() => router.history.back()}>
              {t("signIn.stay")}
            </button>
          </p>
        ) : (
          <p className="muted">
            {t("signIn.newHere")} <Link to="/sign-up">{t("signIn.createAccount")}</Link>
          </p>
        )}
      </div>
    </main>
  );
}

export const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: validateSignInSearch,
  component: SignInPage,
});
