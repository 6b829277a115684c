import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeProtectedHeader, generateKeyPair, SignJWT } from "jose";
import { createTokenService, rotateSigningKey } from "../src/auth/tokens.js";
import { connectDb } from "../src/db/client.js";
import { RevokeApiKeyDocument, ViewerDocument } from "./generated/graphql.js";
import { type Api, gql, gqlOk, newApiKey, newTenant, ownerUrl, startApi, type TestTenant, testConfig } from "./support/harness.js";

describe("access tokens and API keys", () => {
  let api: Api;
  let tenant: TestTenant;
  const config = testConfig();

  const tokensWith = (overrides: { issuer?: string; audience?: string; ttlSeconds?: number }) =>
    createTokenService(api.services.db, {
      issuer: overrides.issuer ?? config.AUTH_ISSUER,
      audience: overrides.audience ?? config.AUTH_AUDIENCE,
      ttlSeconds: overrides.ttlSeconds ?? config.AUTH_TOKEN_TTL_SECONDS,
      keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
    });

  const subject = () => ({ kind: "member" as const, userId: tenant.ownerId, tenantId: tenant.tenantId, generation: 0 });

  async function expectUnauthenticated(token: string, why: RegExp): Promise<void> {
    const result = await gql(api, ViewerDocument, {}, token);
    assert.equal(result.status, 401);
    assert.equal(result.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    assert.match(result.errors?.[0]?.message ?? "", why);
    assert.equal(result.data, undefined);
  }

  before(async () => {
    api = await startApi();
    tenant = await newTenant(api);
  });
  after(() => api.close());

  it("accepts a valid token and names the caller", async () => {
    const { viewer } = await gqlOk(api, ViewerDocument, {}, tenant.token);
    assert.equal(viewer.kind, "MEMBER");
    assert.equal(viewer.tenantId, tenant.tenantId);
    assert.equal(viewer.userId, tenant.ownerId);
    assert.equal(viewer.role, "OWNER");
  });

  it("refuses an expired token", async () => {
    const { token } = await tokensWith({ ttlSeconds: -30 }).issue(subject());
    await expectUnauthenticated(token, /expired/);
  });

  it("refuses a token for another audience", async () => {
    const { token } = await tokensWith({ audience: "someone-else" }).issue(subject());
    await expectUnauthenticated(token, /"aud"/);
  });

  it("refuses a token from another issuer", async () => {
    const { token } = await tokensWith({ issuer: "https://evil.example" }).issue(subject());
    await expectUnauthenticated(token, /"iss"/);
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const { kid } = decodeProtectedHeader(tenant.token);
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${enc({ alg: "none", typ: "at+jwt", kid })}.${enc({
      sub: tenant.ownerId,
      tid: tenant.tenantId,
      kind: "member",
      iss: config.AUTH_ISSUER,
      aud: config.AUTH_AUDIENCE,
      iat: now,
      exp: now + 600,
    })}.`;
    await expectUnauthenticated(unsigned, /algorithm|not valid|malformed/);
  });

  it("refuses a token signed by another key, under a known or an unknown key id", async () => {
    const { kid } = decodeProtectedHeader(tenant.token);
    const { privateKey } = await generateKeyPair("ES256");
    const forge = (keyId: string) =>
      new SignJWT({ kind: "member", tid: tenant.tenantId })
        .setProtectedHeader({ alg: "ES256", kid: keyId })
        .setSubject(tenant.ownerId)
        .setIssuer(config.AUTH_ISSUER)
        .setAudience(config.AUTH_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey);
    await expectUnauthenticated(await forge(String(kid)), /signature/);
    await expectUnauthenticated(await forge("sig_unknown"), /unknown key/);
  });

  it("refuses a malformed Authorization header", async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic dXNlcjpwYXNz" },
      body: JSON.stringify({ query: "{ viewer { kind } }" }),
    });
    assert.equal(res.status, 401);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    assert.equal(body.errors[0]?.extensions.code, "UNAUTHENTICATED");
  });

  it("refuses a revoked API key, and a forged secret for a real prefix", async () => {
    const key = await newApiKey(api, tenant, ["tenant:read"]);
    const { viewer } = await gqlOk(api, ViewerDocument, {}, key.secret);
    assert.equal(viewer.kind, "API_KEY");
    assert.deepEqual(viewer.scopes, ["tenant:read"]);
    const forged = `${key.secret.slice(0, 18)}${"A".repeat(key.secret.length - 18)}`;
    await expectUnauthenticated(forged, /not valid/);
    await gqlOk(api, RevokeApiKeyDocument, { id: key.id }, tenant.token);
    await expectUnauthenticated(key.secret, /revoked/);
  });

  it("rotates signing keys without logging anyone out", async () => {
    const before = decodeProtectedHeader(tenant.token).kid;
    // The rotation runs elsewhere (the owner's provisioning command); the API's key cache is stale.
    const owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-rotate" });
    let newKid: string;
    try {
      newKid = await rotateSigningKey(owner, {
        ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
        keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
      });
    } finally {
      await owner.close();
    }
    assert.notEqual(newKid, before);
    // A token signed with the new key by another process is accepted by the API at once
    // (an unknown key id makes it reload the keys)…
    const other = tokensWith({});
    const fresh = await other.issue(subject());
    assert.equal(decodeProtectedHeader(fresh.token).kid, newKid);
    await gqlOk(api, ViewerDocument, {}, fresh.token);
    // …the token signed by the previous key still works…
    await gqlOk(api, ViewerDocument, {}, tenant.token);
    // …and the JWKS publishes both, never a private part.
    const jwks = (await (await fetch(`${api.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string; d?: string }[] };
    const kids = jwks.keys.map((k) => k.kid);
    assert.ok(kids.includes(String(before)) && kids.includes(newKid), `JWKS ${kids.join(",")}`);
    assert.ok(
      jwks.keys.every((k) => k.d === undefined),
      "the JWKS never carries a private part",
    );
  });

  it("keeps rotation away from the API's database role", async () => {
    await assert.rejects(
      rotateSigningKey(api.services.db, { ttlSeconds: 60, keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET }),
      /permission denied for function auth_add_signing_key/,
    );
  });
});
