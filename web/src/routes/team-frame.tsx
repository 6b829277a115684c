import { Link } from "@tanstack/react-router";
import type { ReactNode } from "react";
import { teamMessages } from "../features/team/messages";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";

/** Who is signed in and what the team pages let them do, from the token's scopes. */
export function useTeamViewer() {
  const session = useSession();
  const member = useCurrentMember(session?.token ?? "");
  const scopes = member.data?.viewer.scopes ?? [];
  return {
    tenantId: session?.tenantId ?? "",
    tenantName: member.data?.tenant.name ?? "",
    userId: member.data?.viewer.userId,
    role: member.data?.viewer.role,
    known: member.isSuccess,
    canWrite: scopes.includes("members:write"),
    canReadAudit: scopes.includes("audit:read"),
  };
}

/** The team area's frame: its heading and the tabs (the audit log's only for audit:read). */
export function TeamFrame({ current, children }: { current: "members" | "audit"; children: ReactNode }) {
  const t = useT(teamMessages);
  const c = useT(common);
  const viewer = useTeamViewer();
  const page = current === "audit" ? t("tabs.audit") : t("page.title");
  return (
    <section aria-labelledby="team-title" className="page">
      <title>{c("app.title", { page })}</title>
      <h1 id="team-title">{t("page.title")}</h1>
      <p className="muted">{t("page.lead", { tenant: viewer.tenantName })}</p>
      {viewer.canReadAudit && (
        <nav className="team-tabs" aria-label={t("tabs.label")}>
          <Link to="/team" aria-current={current === "members" ? "page" : undefined} activeOptions={{ exact: true }}>
            {t("tabs.members")}
          </Link>
          <Link to="/team/audit" aria-current={current === "audit" ? "page" : undefined}>
            {t("tabs.audit")}
          </Link>
        </nav>
      )}
      {children}
    </section>
  );
}
