// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { operatorCall, type RequestContext, tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import type { OperatorContext } from "../core/context.js";
import { forbidden, unauthenticated } from "../core/errors.js";
import { pageRequest } from "../core/pagination.js";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.js";
import type { AuthServices } from "./deps.js";
import {
  ApiKey,
  ApiKeyConnection,
  ApiKeyCreated,
  AuthPayload,
  ChangePasswordInput,
  CreateApiKeyInput,
  PrincipalKind,
  SessionToken,
  SignInInput,
  Viewer,
} from "./graphql-types.js";
import { publicContext } from "./public-context.js";
import { changePassword, endOperatorSessions, type SessionContext, signOut, signOutEverywhere } from "./sessions.js";
import { signIn } from "./sign-in.js";

/** The caller's own session: a person signed in with an access token; operators end theirs through `onOperator`. */
function sessionCall<T>(
  rc: RequestContext<AuthServices>,
  verb: (ctx: SessionContext) => Promise<T>,
  onOperator?: (ctx: OperatorContext<AuthServices>) => Promise<T>,
) {
  const p = rc.principal;
  switch (p.kind) {
    case "anonymous":
      return Promise.reject(unauthenticated("Sign in first: this operation needs a token."));
    case "apiKey":
      return Promise.reject(forbidden("An API key has no session; revoke the key instead."));
    case "operator":
      return onOperator ? operatorCall(rc, onOperator) : Promise.reject(forbidden("This operation is for the tenants' members."));
    case "member":
      return verb({ ...publicContext(rc), principal: p });
  }
}

@Resolver()
export class AuthResolver {
  @Mutation(() => Boolean, { description: "Ends the token of this request. An operator's sign-out ends all their sessions." })
  signOut(@Ctx() rc: RequestContext<AuthServices>): Promise<boolean> {
    return sessionCall(rc, signOut, endOperatorSessions);
  }

  @Mutation(() => Boolean, { description: "Ends every token of this account, in every tenant, this one included." })
  signOutEverywhere(@Ctx() rc: RequestContext<AuthServices>): Promise<boolean> {
    return sessionCall(rc, signOutEverywhere, endOperatorSessions);
  }

  @Mutation(() => SessionToken, {
    description: "Needs the current password; ends every other session and answers a new token for this one.",
  })
  changePassword(@Ctx() rc: RequestContext<AuthServices>, @Arg("input") input: ChangePasswordInput): Promise<SessionToken> {
    return sessionCall(rc, (ctx) => changePassword(ctx, input));
  }

  @Mutation(() => AuthPayload)
  signIn(@Ctx() rc: RequestContext<AuthServices>, @Arg("input") input: SignInInput): Promise<AuthPayload> {
    return signIn(publicContext(rc), input);
  }

  @Query(() => Viewer)
  viewer(@Ctx() rc: RequestContext<AuthServices>): Viewer {
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
  apiKeys(@Ctx() rc: RequestContext<AuthServices>, @Args() page: PageArgs): Promise<ConnectionShape<ApiKey>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "apikeys:read", async (ctx) => toConnection(await listApiKeys(ctx, request)));
  }

  @Mutation(() => ApiKeyCreated, { description: "The secret is shown only here; store it now." })
  createApiKey(@Ctx() rc: RequestContext<AuthServices>, @Arg("input") input: CreateApiKeyInput): Promise<ApiKeyCreated> {
    return tenantCall(rc, "apikeys:write", (ctx) => createApiKey(ctx, input));
  }

  @Mutation(() => ApiKey)
  revokeApiKey(@Ctx() rc: RequestContext<AuthServices>, @Arg("id", () => ID) id: string): Promise<ApiKey> {
    return tenantCall(rc, "apikeys:write", (ctx) => revokeApiKey(ctx, { id }));
  }
}
