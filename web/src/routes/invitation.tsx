import { createRoute, Link, useRouter, useRouterState } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useInvitationPreview } from "../features/invitations/api/preview";
import { AcceptInvitationForm } from "../features/invitations/components/accept-invitation-form";
import { isNotFound } from "../lib/graphql";
import { setSession } from "../lib/session";
import { rootRoute } from "./root";

const ROLE_NAMES: Record<string, string> = {
  OWNER: "an owner",
  ADMIN: "an admin",
  ENGINEER: "an engineer",
  VIEWER: "a viewer",
  FINANCE: "a finance member",
};

const at = (iso: string) => new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));

function Card({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="centered">
      <title>{`${title} · Predictive maintenance`}</title>
      <div className="card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** The invitation can no longer be used: why, and what to do instead. */
function Closed({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Card title={title}>
      <div role="alert" className="notice notice-warning">
        {children}
      </div>
      <p className="muted">
        <Link to="/sign-in">Sign in</Link> · <Link to="/sign-up">Create a company of your own</Link>
      </p>
    </Card>
  );
}

/**
 * The page an invitation link opens: `/invitation#<token>`. The token rides in the fragment, which
 * the browser never sends to a server (no access log or referrer holds it).
 */
function InvitationPage() {
  const token = useRouterState({ select: (s) => s.location.hash }).replace(/^#/, "");
  const router = useRouter();
  const { queryClient } = invitationRoute.useRouteContext();
  const preview = useInvitationPreview(token);

  if (token === "") {
    return (
      <Closed title="Invitation link incomplete">
        <p>This address holds no invitation. Open the link from the invitation exactly as it was sent (the part after “#” is needed).</p>
      </Closed>
    );
  }
  if (preview.isPending) {
    return (
      <Card title="Invitation">
        <p role="status">Loading the invitation…</p>
      </Card>
    );
  }
  if (preview.isError) {
    const unknown = isNotFound(preview.error);
    return unknown ? (
      <Closed title="Invitation not found">
        <p>This link does not match any invitation. Check that it was copied whole, or ask the person who invited you for a new one.</p>
      </Closed>
    ) : (
      <Card title="Invitation">
        <ErrorNotice error={preview.error} title="Could not load the invitation" />
        <button type="button" onClick={() => preview.refetch()}>
          Try again
        </button>
      </Card>
    );
  }

  const inv = preview.data;
  switch (inv.state) {
    case "EXPIRED":
      return (
        <Closed title="Invitation expired">
          <p>
            The invitation to {inv.tenantName} for {inv.email} expired on {at(inv.expiresAt)}. Ask the person who invited you to send a new
            one.
          </p>
        </Closed>
      );
    case "REVOKED":
      return (
        <Closed title="Invitation withdrawn">
          <p>
            The invitation to {inv.tenantName} for {inv.email} was withdrawn (or replaced by a newer one). Ask the person who invited you
            for a new link.
          </p>
        </Closed>
      );
    case "ACCEPTED":
      return (
        <Closed title="Invitation already used">
          <p>
            This invitation to {inv.tenantName} has been accepted already. If that was you, sign in with {inv.email}; otherwise ask for a
            new invitation.
          </p>
        </Closed>
      );
    case "OPEN":
      return (
        <Card title={`Join ${inv.tenantName}`}>
          <p>
            You are invited to {inv.tenantName} as {ROLE_NAMES[inv.role] ?? inv.role}.{" "}
            {inv.hasAccount
              ? `You have an account with ${inv.email}: enter its password to join.`
              : "Create your account to join: your name and a password."}
          </p>
          <p className="muted">The invitation is open until {at(inv.expiresAt)}.</p>
          <AcceptInvitationForm
            invitation={{ token, tenantName: inv.tenantName, email: inv.email, hasAccount: inv.hasAccount }}
            onAccepted={(session) => {
              queryClient.clear();
              setSession(session);
              router.history.replace("/");
            }}
          />
        </Card>
      );
  }
}

export const invitationRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/invitation",
  component: InvitationPage,
});
