import { createRoute } from "@tanstack/react-router";
import { InvitationsSection } from "../features/team/components/invitations-section";
import { InviteForm } from "../features/team/components/invite-form";
import { MembersSection } from "../features/team/components/members-section";
import { ROLES } from "../features/team/lib/rules";
import { shellRoute } from "./shell";
import { teamAuditRoute } from "./team-audit";
import { TeamFrame, useTeamViewer } from "./team-frame";

function TeamPage() {
  const viewer = useTeamViewer();
  const inviteRoles = viewer.role === "OWNER" ? ROLES : ROLES.filter((r) => r !== "OWNER");
  return (
    <TeamFrame current="members">
      <MembersSection
        tenantId={viewer.tenantId}
        tenantName={viewer.tenantName}
        caller={{ userId: viewer.userId, role: viewer.role }}
        canWrite={viewer.canWrite}
      />
      {viewer.canWrite && <InviteForm tenantId={viewer.tenantId} roles={inviteRoles} />}
      {viewer.known && <InvitationsSection tenantId={viewer.tenantId} canWrite={viewer.canWrite} />}
    </TeamFrame>
  );
}

export const teamRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/team",
  component: TeamPage,
});

/** Every page of this area, for the route tree. */
export const teamRoutes = [teamRoute, teamAuditRoute] as const;
