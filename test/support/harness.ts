import "reflect-metadata";
import { randomBytes } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { FastifyInstance } from "fastify";
import { type DocumentNode, print } from "graphql";
import { createServer } from "../../src/api/server.js";
import type { Services } from "../../src/api/services.js";
import { createServices } from "../../src/app.js";
import { type Config, parseConfig, parseOwnerConfig } from "../../src/config.js";
import { createLogger } from "../../src/core/logger.js";
import { CreateApiKeyDocument, CreateInvitationDocument, SignInDocument, SignUpDocument } from "../generated/graphql.js";
import { assertNoLeak } from "./leaks.js";

const operationName = (document: DocumentNode): string => {
  const definition = document.definitions[0];
  return definition?.kind === "OperationDefinition" ? (definition.name?.value ?? "an anonymous operation") : "an operation";
};

/**
 * What tests need beyond the stack's variables: webhooks to the receivers they run on 127.0.0.1
 * over plain http (any port of that one address; every other internal address stays blocked).
 */
export const TEST_ENV = {
  WEBHOOK_ALLOW_HTTP: process.env.WEBHOOK_ALLOW_HTTP ?? "true",
  WEBHOOK_ALLOWED_ADDRESSES: process.env.WEBHOOK_ALLOWED_ADDRESSES ?? "127.0.0.1",
} as const;

/**
 * The configuration the test command exported from the running stack. The tests are the proxy
 * in front of the API (TRUST_PROXY=loopback): a test names its client's address in
 * X-Forwarded-For (`gql`'s clientAddress), as a load balancer would.
 */
export function testConfig(overrides: Partial<Record<keyof Config, string>> = {}): Config {
  return parseConfig({
    ...process.env,
    ...TEST_ENV,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    PORT: "0",
    TRUST_PROXY: process.env.TRUST_PROXY ?? "loopback",
    ...overrides,
  });
}

/** A fresh client address (from 198.18.0.0/15, the range set aside for benchmarks), to keep a test's throttling its own. */
export const newClientAddress = () => `198.${18 + ((randomBytes(1)[0] ?? 0) % 2)}.${randomBytes(1)[0] ?? 0}.${randomBytes(1)[0] ?? 1}`;

export function ownerUrl(): string {
  return parseOwnerConfig(process.env).DATABASE_OWNER_URL;
}

export interface Api {
  readonly url: string;
  readonly services: Services;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** The real API on a free port, over real HTTP. */
export async function startApi(config: Config = testConfig()): Promise<Api> {
  const log = createLogger(config);
  const { services, close } = await createServices(config, log);
  const app = await createServer(services, log);
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    services,
    app,
    async close() {
      await app.close();
      await close();
    },
  };
}

/** What the HTTP helpers need of an API: its address (an in-process API, or one started as its own process). */
export type ApiAddress = Pick<Api, "url">;

export interface GqlError {
  readonly message: string;
  readonly extensions?: { code?: string; requestId?: string; [key: string]: unknown };
}

export interface GqlResult<T> {
  readonly status: number;
  readonly data: T | null | undefined;
  readonly errors: readonly GqlError[] | undefined;
  readonly requestId: string | null;
}

export async function gql<T, V>(
  api: ApiAddress,
  document: TypedDocumentNode<T, V>,
  variables: V,
  token?: string,
  clientAddress?: string,
): Promise<GqlResult<T>> {
  const res = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(clientAddress ? { "x-forwarded-for": clientAddress } : {}),
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await res.json()) as { data?: T | null; errors?: GqlError[] };
  assertNoLeak(body.errors, operationName(document));
  return { status: res.status, data: body.data, errors: body.errors, requestId: res.headers.get("x-request-id") };
}

/** The data of a call that must succeed; fails the test with the errors otherwise. */
export async function gqlOk<T, V>(
  api: ApiAddress,
  document: TypedDocumentNode<T, V>,
  variables: V,
  token?: string,
  clientAddress?: string,
): Promise<T> {
  const result = await gql(api, document, variables, token, clientAddress);
  if (result.errors || !result.data) throw new Error(`GraphQL call failed: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** The code of the first error, or "OK". */
export async function codeOf<T, V>(api: ApiAddress, document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<string> {
  const result = await gql(api, document, variables, token);
  return result.errors?.[0]?.extensions?.code ?? "OK";
}

export const uniqueEmail = (label: string) => `${label}-${randomBytes(6).toString("hex")}@example.test`;
export const PASSWORD = "correct horse battery staple";

export interface TestTenant {
  readonly tenantId: string;
  readonly ownerId: string;
  readonly ownerEmail: string;
  readonly token: string;
}

/** A fresh tenant with its owner, through the public sign-up and sign-in (from a client address of its own). */
export async function newTenant(api: ApiAddress, name = "Acme Turbines"): Promise<TestTenant> {
  const ownerEmail = uniqueEmail("owner");
  const from = newClientAddress();
  await gqlOk(
    api,
    SignUpDocument,
    { input: { tenantName: name, email: ownerEmail, name: "Olivia Owner", password: PASSWORD } },
    undefined,
    from,
  );
  const { signIn } = await gqlOk(api, SignInDocument, { input: { email: ownerEmail, password: PASSWORD } }, undefined, from);
  return { tenantId: signIn.tenantId, ownerId: signIn.userId, ownerEmail, token: signIn.token };
}

/** A member with `role` in the tenant, through an invitation. */
export async function addMember(api: ApiAddress, tenant: TestTenant, role: "ADMIN" | "ENGINEER" | "VIEWER" | "FINANCE" | "OWNER") {
  const email = uniqueEmail(role.toLowerCase());
  const { createInvitation } = await gqlOk(api, CreateInvitationDocument, { email, role }, tenant.token);
  const { AcceptInvitationDocument } = await import("../generated/graphql.js");
  const { acceptInvitation } = await gqlOk(api, AcceptInvitationDocument, {
    input: { token: createInvitation.token, password: PASSWORD, name: `${role} person` },
  });
  return { userId: acceptInvitation.userId, email, token: acceptInvitation.token, invitationId: createInvitation.invitation.id };
}

export async function newApiKey(api: ApiAddress, tenant: TestTenant, scopes: string[]) {
  const { createApiKey } = await gqlOk(
    api,
    CreateApiKeyDocument,
    { input: { name: `key with ${scopes.length} scopes`, scopes } },
    tenant.token,
  );
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
}

/** An operator account (created with the owner connection, as in production) and its token. */
export async function newOperator(api: ApiAddress, role: "support" | "finance") {
  const { connectDb } = await import("../../src/db/client.js");
  const { createOperator } = await import("../../src/operators/create.js");
  const { OperatorSignInDocument } = await import("../generated/graphql.js");
  const owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
  const email = uniqueEmail(role);
  try {
    const { id } = await createOperator(owner, { email, name: `${role} operator`, role, password: PASSWORD });
    const { operatorSignIn } = await gqlOk(
      api,
      OperatorSignInDocument,
      { input: { email, password: PASSWORD } },
      undefined,
      newClientAddress(),
    );
    return { id, email, token: operatorSignIn.token, role: operatorSignIn.operator.role };
  } finally {
    await owner.close();
  }
}

export const TURBOFAN_SENSORS = ["setting1", "setting2", "setting3", ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`)];

/** An asset type with sensors, `assets` assets of it, and a device that may write for all of them. */
export async function newFleet(
  api: ApiAddress,
  tenant: TestTenant,
  options: { typeKey?: string; assets?: number; sensors?: string[] } = {},
) {
  const g = await import("../generated/graphql.js");
  const sensors = options.sensors ?? TURBOFAN_SENSORS;
  const { createAssetType } = await gqlOk(
    api,
    g.CreateAssetTypeDocument,
    { input: { key: options.typeKey ?? "turbofan", name: "Turbofan engine", sensors: sensors.map((key) => ({ key, unit: "" })) } },
    tenant.token,
  );
  const assets: { id: string; externalId: string }[] = [];
  for (let i = 1; i <= (options.assets ?? 2); i++) {
    const { createAsset } = await gqlOk(
      api,
      g.CreateAssetDocument,
      { input: { assetTypeId: createAssetType.id, externalId: `engine_${i}`, name: `Engine ${i}` } },
      tenant.token,
    );
    assets.push({ id: createAsset.id, externalId: createAsset.externalId });
  }
  const { createDevice } = await gqlOk(
    api,
    g.CreateDeviceDocument,
    { input: { name: "Gateway", assetIds: assets.map((a) => a.id) } },
    tenant.token,
  );
  return {
    typeId: createAssetType.id,
    typeKey: createAssetType.key,
    assets,
    deviceId: createDevice.device.id,
    tokenId: createDevice.issued.token.id,
    deviceToken: createDevice.issued.secret,
    mqttUsername: createDevice.issued.mqttUsername,
    mqttClientId: createDevice.issued.mqttClientId,
    mqttTopic: createDevice.issued.mqttTopic,
  };
}
