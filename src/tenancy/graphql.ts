import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../api/services.js";
import { tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import { listAudit } from "./audit.js";
import {
  AuditEntry,
  AuditEntryConnection,
  Invitation,
  InvitationConnection,
  InvitationCreated,
  Member,
  MemberConnection,
  MemberRoleValue,
  Tenant,
} from "./graphql-types.js";
import { invitationUrl } from "./invitation-preview.js";
import { createInvitation, listInvitations, revokeInvitation } from "./invitations.js";
import { getMember, listMembers, removeMember, updateMemberRole } from "./members.js";
import { getTenant, renameTenant } from "./tenant.js";

@Resolver()
export class TenancyResolver {
  @Query(() => Tenant, { description: "The caller's tenant." })
  tenant(@Ctx() rc: RequestContext): Promise<Tenant> {
    return tenantCall(rc, "tenant:read", (ctx) => getTenant(ctx));
  }

  @Mutation(() => Tenant)
  renameTenant(@Ctx() rc: RequestContext, @Arg("name") name: string): Promise<Tenant> {
    return tenantCall(rc, "tenant:write", (ctx) => renameTenant(ctx, { name }));
  }

  @Query(() => MemberConnection)
  members(@Ctx() rc: RequestContext, @Args() page: PageArgs): Promise<ConnectionShape<Member>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "members:read", async (ctx) => toConnection(await listMembers(ctx, request)));
  }

  @Query(() => Member)
  member(@Ctx() rc: RequestContext, @Arg("userId", () => ID) userId: string): Promise<Member> {
    return tenantCall(rc, "members:read", (ctx) => getMember(ctx, userId));
  }

  @Mutation(() => Member)
  updateMemberRole(
    @Ctx() rc: RequestContext,
    @Arg("userId", () => ID) userId: string,
    @Arg("role", () => MemberRoleValue) role: MemberRoleValue,
  ): Promise<Member> {
    return tenantCall(rc, "members:write", (ctx) => updateMemberRole(ctx, { userId, role }));
  }

  @Mutation(() => Member)
  removeMember(@Ctx() rc: RequestContext, @Arg("userId", () => ID) userId: string): Promise<Member> {
    return tenantCall(rc, "members:write", (ctx) => removeMember(ctx, { userId }));
  }

  @Query(() => InvitationConnection)
  invitations(@Ctx() rc: RequestContext, @Args() page: PageArgs): Promise<ConnectionShape<Invitation>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "members:read", async (ctx) => toConnection(await listInvitations(ctx, request)));
  }

  @Mutation(() => InvitationCreated, { description: "Invites an email address; the token is shown only here." })
  createInvitation(
    @Ctx() rc: RequestContext,
    @Arg("email") email: string,
    @Arg("role", () => MemberRoleValue) role: MemberRoleValue,
  ): Promise<InvitationCreated> {
    return tenantCall(rc, "members:write", async (ctx) => {
      const created = await createInvitation(ctx, { email, role });
      return { ...created, url: invitationUrl(rc.services.config.PORTAL_URL, created.token) };
    });
  }

  @Mutation(() => Invitation)
  revokeInvitation(@Ctx() rc: RequestContext, @Arg("id", () => ID) id: string): Promise<Invitation> {
    return tenantCall(rc, "members:write", (ctx) => revokeInvitation(ctx, { id }));
  }

  @Query(() => AuditEntryConnection, { description: "Newest first." })
  auditLog(@Ctx() rc: RequestContext, @Args() page: PageArgs): Promise<ConnectionShape<AuditEntry>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "audit:read", async (ctx) => toConnection(await listAudit(ctx, request)));
  }
}
