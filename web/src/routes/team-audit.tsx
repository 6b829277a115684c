import { createRoute } from "@tanstack/react-router";
import { useTeamMembers } from "../features/team/api/members";
import { AuditLog } from "../features/team/components/audit-log";
import { validateAuditSearch } from "../features/team/lib/audit-search";
import { teamMessages } from "../features/team/messages";
import { useT } from "../lib/i18n";
import { shellRoute } from "./shell";
import { TeamFrame, useTeamViewer } from "./team-frame";

/** The tenant's audit log (audit:read): every change and every read by the machine maker's staff. */
function TeamAuditPage() {
  const t = useT(teamMessages);
  const viewer = useTeamViewer();
  const search = teamAuditRoute.useSearch();
  const navigate = teamAuditRoute.useNavigate();
  const members = useTeamMembers(viewer.canReadAudit ? viewer.tenantId : "");
  return (
    <TeamFrame current="audit">
      <h2 className="visually-hidden">{t("audit.heading")}</h2>
      {viewer.known && !viewer.canReadAudit && (
        <p className="notice" role="status">
          {t("audit.noAccess")}
        </p>
      )}
      {viewer.canReadAudit && (
        <>
          <p className="muted">{t("audit.lead", { tenant: viewer.tenantName })}</p>
          <AuditLog
            tenantId={viewer.tenantId}
            search={search}
            onSearch={(next) => void navigate({ search: next, replace: true })}
            members={members.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? []}
          />
        </>
      )}
    </TeamFrame>
  );
}

export const teamAuditRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/team/audit",
  validateSearch: validateAuditSearch,
  component: TeamAuditPage,
});
