// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { listAudit } from "../audit/index.js";
import { AuthPayload, MemberRoleValue } from "../auth/graphql-types.js";
import { publicContext } from "../auth/index.js";
import { type RequestContext, tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import type { TenancyServices } from "./deps.js";
import {
  AcceptInvitationInput,
  AuditEntry,
  AuditEntryConnection,
  Invitation,
  InvitationConnection,
  InvitationCreated,
  InvitationPreview,
  Member,
  MemberConnection,
  SignUpAccepted,
  SignUpInput,
  Tenant,
} from "./graphql-types.js";
import { describeInvitation } from "./invitation-preview.js";
import { acceptInvitation, createInvitation, listInvitations, revokeInvitation } from "./invitations.js";
import { getMember, listMembers, removeMember, updateMemberRole } from "./members.js";
import { signUp } from "./sign-up.js";
import { getTenant, renameTenant } from "./tenant.js";

@Resolver()
export class TenancyResolver {
  @Mutation(() => SignUpAccepted, {
    description:
      "Creates a tenant and its owner, then sign in. The answer does not say whether the address had an account: its holder is told by a message.",
  })
  signUp(@Ctx() rc: RequestContext<TenancyServices>, @Arg("input") input: SignUpInput): Promise<SignUpAccepted> {
    return signUp(publicContext(rc), input);
  }

  @Mutation(() => AuthPayload)
  acceptInvitation(@Ctx() rc: RequestContext<TenancyServices>, @Arg("input") input: AcceptInvitationInput): Promise<AuthPayload> {
    return acceptInvitation(publicContext(rc), input);
  }

  @Query(() => InvitationPreview, {
    description: "What an invitation link holds (company, address, role, state), for the page it opens; the token is the key.",
  })
  invitationPreview(@Ctx() rc: RequestContext<TenancyServices>, @Arg("token") token: string): Promise<InvitationPreview> {
    return describeInvitation(publicContext(rc), { token });
  }

  @Query(() => Tenant, { description: "The caller's tenant." })
  tenant(@Ctx() rc: RequestContext<TenancyServices>): Promise<Tenant> {
    return tenantCall(rc, "tenant:read", (ctx) => getTenant(ctx));
  }

  @Mutation(() => Tenant)
  renameTenant(@Ctx() rc: RequestContext<TenancyServices>, @Arg("name") name: string): Promise<Tenant> {
    return tenantCall(rc, "tenant:write", (ctx) => renameTenant(ctx, { name }));
  }

  @Query(() => MemberConnection)
  members(@Ctx() rc: RequestContext<TenancyServices>, @Args() page: PageArgs): Promise<ConnectionShape<Member>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "members:read", async (ctx) => toConnection(await listMembers(ctx, request)));
  }

  @Query(() => Member)
  member(@Ctx() rc: RequestContext<TenancyServices>, @Arg("userId", () => ID) userId: string): Promise<Member> {
    return tenantCall(rc, "members:read", (ctx) => getMember(ctx, userId));
  }

  @Mutation(() => Member)
  updateMemberRole(
    @Ctx() rc: RequestContext<TenancyServices>,
    @Arg("userId", () => ID) userId: string,
    @Arg("role", () => MemberRoleValue) role: MemberRoleValue,
  ): Promise<Member> {
    return tenantCall(rc, "members:write", (ctx) => updateMemberRole(ctx, { userId, role }));
  }

  @Mutation(() => Member)
  removeMember(@Ctx() rc: RequestContext<TenancyServices>, @Arg("userId", () => ID) userId: string): Promise<Member> {
    return tenantCall(rc, "members:write", (ctx) => removeMember(ctx, { userId }));
  }

  @Query(() => InvitationConnection)
  invitations(@Ctx() rc: RequestContext<TenancyServices>, @Args() page: PageArgs): Promise<ConnectionShape<Invitation>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "members:read", async (ctx) => toConnection(await listInvitations(ctx, request)));
  }

  @Mutation(() => InvitationCreated, { description: "Invites an email address; the token is shown only here." })
  createInvitation(
    @Ctx() rc: RequestContext<TenancyServices>,
    @Arg("email") email: string,
    @Arg("role", () => MemberRoleValue) role: MemberRoleValue,
  ): Promise<InvitationCreated> {
    return tenantCall(rc, "members:write", (ctx) => createInvitation(ctx, { email, role }));
  }

  @Mutation(() => Invitation)
  revokeInvitation(@Ctx() rc: RequestContext<TenancyServices>, @Arg("id", () => ID) id: string): Promise<Invitation> {
    return tenantCall(rc, "members:write", (ctx) => revokeInvitation(ctx, { id }));
  }

  @Query(() => AuditEntryConnection, { description: "Newest first; each argument narrows the list." })
  auditLog(
    @Ctx() rc: RequestContext<TenancyServices>,
    @Args() page: PageArgs,
    @Arg("actorKind", () => String, {
      nullable: true,
      description: 'Only entries by this kind of actor: "user", "api_key", "operator" (the machine maker\'s staff), "workflow", …',
    })
    actorKind?: string | null,
    @Arg("actorId", () => String, { nullable: true, description: "Only entries by this actor (a user's, API key's or operator's id)." })
    actorId?: string | null,
    @Arg("action", () => String, {
      nullable: true,
      description: 'An exact action ("member.removed") or a family ending in a dot ("member.", "operator.").',
    })
    action?: string | null,
    @Arg("from", () => Date, { nullable: true, description: "Entries at or after this time." }) from?: Date | null,
    @Arg("to", () => Date, { nullable: true, description: "Entries before this time." }) to?: Date | null,
  ): Promise<ConnectionShape<AuditEntry>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "audit:read", async (ctx) =>
      toConnection(await listAudit(ctx, request, { actorKind, actorId, action, from, to })),
    );
  }
}
