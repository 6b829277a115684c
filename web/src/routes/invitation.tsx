import { createRoute, Link, useRouter, useRouterState } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { ErrorNotice } from "../components/error-notice";
import { LanguageSwitch } from "../components/language-switch";
import { useInvitationPreview } from "../features/invitations/api/preview";
import { AcceptInvitationForm } from "../features/invitations/components/accept-invitation-form";
import { invitationMessages } from "../features/invitations/messages";
import { isNotFound } from "../lib/graphql";
import { common, useFormat, useT } from "../lib/i18n";
import { setSession } from "../lib/session";
import { rootRoute } from "./root";

const ROLES = ["OWNER", "ADMIN", "ENGINEER", "VIEWER", "FINANCE"] as const;
const isRole = (role: string): role is (typeof ROLES)[number] => (ROLES as readonly string[]).includes(role);

function Card({ title, children }: { title: string; children: ReactNode }) {
  const c = useT(common);
  return (
    <main className="centered">
      <title>{c("app.title", { page: title })}</title>
      <LanguageSwitch />
      <div className="card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

/** The invitation can no longer be used: why, and what to do instead. */
function Closed({ title, children }: { title: string; children: ReactNode }) {
  const t = useT(invitationMessages);
  return (
    <Card title={title}>
      <div role="alert" className="notice notice-warning">
        {children}
      </div>
      <p className="muted">
        <Link to="/sign-in">{t("invitation.signIn")}</Link> · <Link to="/sign-up">{t("invitation.createCompany")}</Link>
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
  const t = useT(invitationMessages);
  const c = useT(common);
  const format = useFormat();

  if (token === "") {
    return (
      <Closed title={t("invitation.incomplete.title")}>
        <p>{t("invitation.incomplete.text")}</p>
      </Closed>
    );
  }
  if (preview.isPending) {
    return (
      <Card title={t("invitation.title")}>
        <p role="status">{t("invitation.loading")}</p>
      </Card>
    );
  }
  if (preview.isError) {
    const unknown = isNotFound(preview.error);
    return unknown ? (
      <Closed title={t("invitation.notFound.title")}>
        <p>{t("invitation.notFound.text")}</p>
      </Closed>
    ) : (
      <Card title={t("invitation.title")}>
        <ErrorNotice error={preview.error} title={t("invitation.loadFailed")} />
        <button type="button" onClick={() => preview.refetch()}>
          {c("action.retry")}
        </button>
      </Card>
    );
  }

  const inv = preview.data;
  const params = { tenant: inv.tenantName, email: inv.email, date: format.dateTime(inv.expiresAt) };
  switch (inv.state) {
    case "EXPIRED":
      return (
        <Closed title={t("invitation.expired.title")}>
          <p>{t("invitation.expired.text", params)}</p>
        </Closed>
      );
    case "REVOKED":
      return (
        <Closed title={t("invitation.revoked.title")}>
          <p>{t("invitation.revoked.text", params)}</p>
        </Closed>
      );
    case "ACCEPTED":
      return (
        <Closed title={t("invitation.accepted.title")}>
          <p>{t("invitation.accepted.text", params)}</p>
        </Closed>
      );
    case "OPEN":
      return (
        <Card title={t("invitation.join", params)}>
          <p>
            {t("invitation.invitedAs", { ...params, role: isRole(inv.role) ? t(`invitation.role.${inv.role}`) : inv.role })}{" "}
            {inv.hasAccount ? t("invitation.hasAccount", params) : t("invitation.newAccount")}
          </p>
          <p className="muted">{t("invitation.openUntil", params)}</p>
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
