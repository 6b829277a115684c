import { createRoute, Link, Outlet, redirect, useNavigate, useRouterState } from "@tanstack/react-router";
import { useSignOut } from "../features/auth/api/sign-out";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { TenantSwitcher } from "../features/tenants/components/tenant-switcher";
import { getSession, setSession, useSession } from "../lib/session";
import { rootRoute } from "./root";

const ROLE_NAMES: Record<string, string> = { OWNER: "Owner", ADMIN: "Admin", ENGINEER: "Engineer", VIEWER: "Viewer", FINANCE: "Finance" };

function Shell() {
  const session = useSession();
  const navigate = useNavigate();
  const here = useRouterState({ select: (s) => s.location.href });
  const { queryClient } = shellRoute.useRouteContext();
  const member = useCurrentMember(session?.token ?? "");
  const signOut = useSignOut();
  if (!session) return null; // the session just ended; the sign-in page is on its way

  const finish = () => {
    setSession(undefined);
    queryClient.clear();
    void navigate({ to: "/sign-in", search: { reason: "signed-out" } });
  };
  const tenantName = member.data?.tenant.name ?? session.tenants.find((t) => t.id === session.tenantId)?.name ?? "";
  const canSeeAssets = member.data?.viewer.scopes.includes("assets:read") ?? false;
  const canSeeAlerts = member.data?.viewer.scopes.includes("models:read") ?? false;
  const role = member.data?.viewer.role;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Predictive maintenance</span>
        <nav aria-label="Main">
          {canSeeAssets && (
            <Link to="/fleet" search={{}} activeProps={{ "aria-current": "page", className: "active" }}>
              Fleet
            </Link>
          )}
          {canSeeAlerts && (
            <Link to="/alerts" search={{}} activeProps={{ "aria-current": "page", className: "active" }}>
              Alerts
            </Link>
          )}
          {canSeeAssets && (
            <Link to="/maintenance" search={{}} activeProps={{ "aria-current": "page", className: "active" }}>
              Maintenance
            </Link>
          )}
          {role === "FINANCE" && (
            <Link to="/finance" activeProps={{ "aria-current": "page", className: "active" }}>
              Your access
            </Link>
          )}
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
          {role && <span className="badge">{ROLE_NAMES[role] ?? role}</span>}
        </span>
        <button type="button" onClick={() => signOut.mutate(session.token, { onSettled: finish })} disabled={signOut.isPending}>
          Sign out
        </button>
      </header>
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
