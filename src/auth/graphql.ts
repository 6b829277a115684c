import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../api/services.js";
import { tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { forbidden, unauthenticated } from "../core/errors.js";
import { pageRequest } from "../core/pagination.js";
import { InvitationPreview } from "../tenancy/graphql-types.js";
import { describeInvitation } from "../tenancy/invitation-preview.js";
import { acceptInvitation } from "../tenancy/invitations.js";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.js";
import {
  AcceptInvitationInput,
  ApiKey,
  ApiKeyConnection,
  ApiKeyCreated,
  AuthPayload,
  ChangePasswordInput,
  CreateApiKeyInput,
  PrincipalKind,
  SessionToken,
  SignInInput,
  SignUpAccepted,
  SignUpInput,
  Viewer,
} from "./graphql-types.js";
import { publicContext } from "./public-context.js";
import { changePassword, endOperatorSessions, type SessionContext, signOut, signOutEverywhere } from "./sessions.js";
import { signIn } from "./sign-in.js";
import { signUp } from "./sign-up.js";

/** The caller's own session: a person signed in with an access token; operators end theirs through `onOperator`. */
function sessionCall<T>(rc: RequestContext, verb: (ctx: SessionContext) => Promise<T>, onOperator?: (operatorId: string) => Promise<T>) {
  const p = rc.principal;
  switch (p.kind) {
    case "anonymous":
      return Promise.reject(unauthenticated("Sign in first: this operation needs a token."));
    case "apiKey":
      return Promise.reject(forbidden("An API key has no session; revoke the key instead."));
    case "operator":
      return onOperator ? onOperator(p.operatorId) : Promise.reject(forbidden("This operation is for the tenants' members."));
    case "member":
      return verb({ ...publicContext(rc), principal: p });
  }
}

@Resolver()
export class AuthResolver {
  @Mutation(() => SignUpAccepted, {
    description:
      "Creates a tenant and its owner, then sign in. The answer does not say whether the address had an account: its holder is told by a message.",
  })
  signUp(@Ctx() rc: RequestContext, @Arg("input") input: SignUpInput): Promise<SignUpAccepted> {
    return signUp(publicContext(rc), input);
  }

  @Mutation(() => Boolean, { description: "Ends the token of this request. An operator's sign-out ends all their sessions." })
  signOut(@Ctx() rc: RequestContext): Promise<boolean> {
    return sessionCall(rc, signOut, (id) => endOperatorSessions(rc.services.opsDb, id));
  }

  @Mutation(() => Boolean, { description: "Ends every token of this account, in every tenant, this one included." })
  signOutEverywhere(@Ctx() rc: RequestContext): Promise<boolean> {
    return sessionCall(rc, signOutEverywhere, (id) => endOperatorSessions(rc.services.opsDb, id));
  }

  @Mutation(() => SessionToken, {
    description: "Needs the current password; ends every other session and answers a new token for this one.",
  })
  changePassword(@Ctx() rc: RequestContext, @Arg("input") input: ChangePasswordInput): Promise<SessionToken> {
    return sessionCall(rc, (ctx) => changePassword(ctx, input));
  }

  @Mutation(() => AuthPayload)
  signIn(@Ctx() rc: RequestContext, @Arg("input") input: SignInInput): Promise<AuthPayload> {
    return signIn(publicContext(rc), input);
  }

  @Mutation(() => AuthPayload)
  acceptInvitation(@Ctx() rc: RequestContext, @Arg("input") input: AcceptInvitationInput): Promise<AuthPayload> {
    return acceptInvitation(publicContext(rc), input);
  }

  @Query(() => InvitationPreview, {
    description: "What an invitation link holds (company, address, role, state), for the page it opens; the token is the key.",
  })
  invitationPreview(@Ctx() rc: RequestContext, @Arg("token") token: string): Promise<InvitationPreview> {
    return describeInvitation(publicContext(rc), { token });
  }

  @Query(() => Viewer)
  viewer(@Ctx() rc: RequestContext): Viewer {
    const p = rc.principal;
    const none = { tenantId: null, userId: null, role: null, apiKeyId: null, operatorId: null };
    switch (p.kind) {
      case "anonymous":
        throw unauthenticated("Sign in first: this operation needs a token or an API key.");
      case "member":
        return { ...none, kind: PrincipalKind.MEMBER, tenantId: p.tenantId, userId: p.userId, role: p.role, scopes: [...p.scopes] };
      case "apiKey":
        return { ...none, kind: PrincipalKind.API_KEY, tenantId: p.tenantId, apiKeyId: p.apiKeyId, scopes: [...p.scopes] };
      case "operator":
        return { ...none, kind: PrincipalKind.OPERATOR, operatorId: p.operatorId, scopes: [`operator:${p.role}`] };
    }
  }

  @Query(() => ApiKeyConnection)
  apiKeys(@Ctx() rc: RequestContext, @Args() page: PageArgs): Promise<ConnectionShape<ApiKey>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "apikeys:read", async (ctx) => toConnection(await listApiKeys(ctx, request)));
  }

  @Mutation(() => ApiKeyCreated, { description: "The secret is shown only here; store it now." })
  createApiKey(@Ctx() rc: RequestContext, @Arg("input") input: CreateApiKeyInput): Promise<ApiKeyCreated> {
    return tenantCall(rc, "apikeys:write", (ctx) => createApiKey(ctx, input));
  }

  @Mutation(() => ApiKey)
  revokeApiKey(@Ctx() rc: RequestContext, @Arg("id", () => ID) id: string): Promise<ApiKey> {
    return tenantCall(rc, "apikeys:write", (ctx) => revokeApiKey(ctx, { id }));
  }
}
