import { createRoute, Link, useRouter, useRouterState } from "@tanstack/react-router";
import { SignInForm } from "../features/auth/components/sign-in-form";
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
  switch (reason) {
    case undefined:
      return null;
    case "expired":
      return (
        <p role="status" className="notice notice-warning">
          Your session has ended. Sign in again to return to the page you were on.
        </p>
      );
    case "signed-out":
      return (
        <p role="status" className="notice">
          You are signed out.
        </p>
      );
    case "signed-up":
      return (
        <p role="status" className="notice notice-success">
          Your request for {email ?? "your address"} is in. Sign in with the password you chose.
        </p>
      );
    case "switch":
      return (
        <p role="status" className="notice">
          Enter your password to open {tenantName ?? "the other company"}.
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
  const tenantName = known.find((t) => t.id === search.tenant)?.name || undefined;
  return (
    <main className="centered">
      <title>Sign in · Predictive maintenance</title>
      <div className="card">
        <h1>Sign in</h1>
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
              Stay in the current company
            </button>
          </p>
        ) : (
          <p className="muted">
            New here? <Link to="/sign-up">Create an account</Link>
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
