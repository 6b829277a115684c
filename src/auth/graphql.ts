import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { publicContext, tenantCall } from "../api/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../api/connection.js";
import type { RequestContext } from "../api/services.js";
import { unauthenticated } from "../core/errors.js";
import { pageRequest } from "../core/pagination.js";
import { acceptInvitation } from "../tenancy/invitations.js";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.js";
import {
  AcceptInvitationInput,
  ApiKey,
  ApiKeyConnection,
  ApiKeyCreated,
  AuthPayload,
  CreateApiKeyInput,
  PrincipalKind,
  SignInInput,
  SignUpInput,
  Viewer,
} from "./graphql-types.js";
import { signIn } from "./sign-in.js";
import { signUp } from "./sign-up.js";

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: "Creates a tenant and its owner, and signs the owner in." })
  signUp(@Ctx() rc: RequestContext, @Arg("input") input: SignUpInput): Promise<AuthPayload> {
    return signUp(publicContext(rc), input);
  }

  @Mutation(() => AuthPayload)
  signIn(@Ctx() rc: RequestContext, @Arg("input") input: SignInInput): Promise<AuthPayload> {
    return signIn(publicContext(rc), input);
  }

  @Mutation(() => AuthPayload)
  acceptInvitation(@Ctx() rc: RequestContext, @Arg("input") input: AcceptInvitationInput): Promise<AuthPayload> {
    return acceptInvitation(publicContext(rc), input);
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
