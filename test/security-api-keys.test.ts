import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as g from "./generated/graphql.js";
import { type Api, addMember, codeOf, gql, gqlOk, newApiKey, newFleet, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { registerTestVersion } from "./support/models.js";

/** A key created by whoever holds `token` (a member's access token or another key). */
async function keyOf(api: Api, token: string, scopes: string[]): Promise<{ id: string; secret: string }> {
  const { createApiKey } = await gqlOk(api, g.CreateApiKeyDocument, { input: { name: `key of ${scopes.length} scopes`, scopes } }, token);
  return { id: createApiKey.apiKey.id, secret: createApiKey.secret };
}

const newAssetType = (key: string) => ({ input: { key, name: `Type ${key}`, sensors: [{ key: "s1", unit: "" }] } });

describe("security: an API key acts for its creator, never beyond what the creator may do now", () => {
  let api: Api;
  let tenant: TestTenant;

  before(async () => {
    api = await startApi();
    tenant = await newTenant(api, "Key Holders Ltd");
  });
  after(async () => {
    await api?.close();
  });

  it("refuses every call of a key whose creator was removed, and of the keys that key created", async () => {
    const admin = await addMember(api, tenant, "ADMIN");
    const key = await keyOf(api, admin.token, ["members:read", "apikeys:write", "apikeys:read"]);
    const child = await keyOf(api, key.secret, ["members:read"]);
    assert.equal(await codeOf(api, g.MembersDocument, {}, key.secret), "OK");
    assert.equal(await codeOf(api, g.MembersDocument, {}, child.secret), "OK");

    await gqlOk(api, g.RemoveMemberDocument, { userId: admin.userId }, tenant.token);

    const read = await gql(api, g.MembersDocument, {}, key.secret);
    assert.equal(read.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    assert.match(read.errors?.[0]?.message ?? "", /created this API key is no longer in the tenant/);
    assert.equal(
      await codeOf(api, g.CreateApiKeyDocument, { input: { name: "another", scopes: ["members:read"] } }, key.secret),
      "UNAUTHENTICATED",
    );
    assert.equal(await codeOf(api, g.MembersDocument, {}, child.secret), "UNAUTHENTICATED", "a key made by the key goes with it");
    const { apiKeys } = await gqlOk(api, g.ApiKeysDocument, {}, tenant.token);
    assert.equal(apiKeys.edges.filter((e) => e.node.createdBy === admin.userId).length, 1, "the owner still sees the key");
  });

  it("narrows a downgraded admin's key to the viewer's scopes at once, and widens it again on an upgrade", async () => {
    const admin = await addMember(api, tenant, "ADMIN");
    const key = await keyOf(api, admin.token, ["assets:read", "assets:write", "members:read", "members:write"]);
    assert.equal(await codeOf(api, g.CreateAssetTypeDocument, newAssetType("before_downgrade"), key.secret), "OK");

    await gqlOk(api, g.UpdateMemberRoleDocument, { userId: admin.userId, role: "VIEWER" }, tenant.token);

    assert.equal(await codeOf(api, g.CreateAssetTypeDocument, newAssetType("after_downgrade"), key.secret), "FORBIDDEN");
    assert.equal(await codeOf(api, g.UpdateMemberRoleDocument, { userId: tenant.ownerId, role: "VIEWER" }, key.secret), "FORBIDDEN");
    assert.equal(await codeOf(api, g.AssetTypesDocument, {}, key.secret), "OK", "reads the viewer may do still work");
    const { viewer } = await gqlOk(api, g.ViewerDocument, {}, key.secret);
    assert.deepEqual([...viewer.scopes].sort(), ["assets:read", "members:read"]);

    await gqlOk(api, g.UpdateMemberRoleDocument, { userId: admin.userId, role: "ADMIN" }, tenant.token);
    assert.equal(await codeOf(api, g.CreateAssetTypeDocument, newAssetType("after_upgrade"), key.secret), "OK");
  });

  it("lets the owner list every key of the tenant, whoever created it, and revoke any of them", async () => {
    const admin = await addMember(api, tenant, "ADMIN");
    const adminKey = await keyOf(api, admin.token, ["members:read"]);
    const ownerKey = await newApiKey(api, tenant, ["members:read"]);
    const keyMadeKey = await keyOf(api, (await keyOf(api, admin.token, ["apikeys:write", "members:read"])).secret, ["members:read"]);

    const listed = new Map<string, string>();
    let after: string | null = null;
    for (;;) {
      const { apiKeys }: g.ApiKeysQuery = await gqlOk(api, g.ApiKeysDocument, { first: 100, after }, tenant.token);
      for (const e of apiKeys.edges) listed.set(e.node.id, e.node.createdBy);
      if (!apiKeys.pageInfo.hasNextPage) break;
      after = apiKeys.pageInfo.endCursor ?? null;
    }
    assert.equal(listed.get(adminKey.id), admin.userId);
    assert.equal(listed.get(ownerKey.id), tenant.ownerId);
    assert.ok(listed.has(keyMadeKey.id));

    for (const key of [adminKey, keyMadeKey]) {
      const { revokeApiKey } = await gqlOk(api, g.RevokeApiKeyDocument, { id: key.id }, tenant.token);
      assert.ok(revokeApiKey.revokedAt);
      assert.equal(await codeOf(api, g.MembersDocument, {}, key.secret), "UNAUTHENTICATED");
    }
    assert.equal(await codeOf(api, g.MembersDocument, {}, ownerKey.secret), "OK");
  });

  it("grants models:promote only to a creator holding it, and takes it from the key when the creator loses it", async () => {
    const fleet = await newFleet(api, tenant, { assets: 1 });
    const { version } = await registerTestVersion(api, tenant, { assetTypeId: fleet.typeId, runId: "key-promote", rmse: 14 });
    const promote = (token: string) => gql(api, g.PromoteModelVersionDocument, { versionId: version.id, reason: "key test" }, token);

    // A key that may create keys but does not hold models:promote cannot hand it out.
    const minter = await newApiKey(api, tenant, ["apikeys:write", "models:read", "models:write"]);
    const forced = await gql(api, g.CreateApiKeyDocument, { input: { name: "promoter", scopes: ["models:promote"] } }, minter.secret);
    assert.equal(forced.errors?.[0]?.extensions?.code, "FORBIDDEN");
    assert.match(forced.errors?.[0]?.message ?? "", /scopes you do not hold: models:promote/);

    // An admin holds it, so the admin's key may have it and promote.
    const admin = await addMember(api, tenant, "ADMIN");
    const key = await keyOf(api, admin.token, ["models:read", "models:promote"]);
    const promoted = await promote(key.secret);
    assert.equal(promoted.errors, undefined, JSON.stringify(promoted.errors));

    // The admin becomes an engineer: the key loses models:promote at once.
    await gqlOk(api, g.UpdateMemberRoleDocument, { userId: admin.userId, role: "ENGINEER" }, tenant.token);
    const refused = await promote(key.secret);
    assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
    assert.match(refused.errors?.[0]?.message ?? "", /models:promote/);
    const { viewer } = await gqlOk(api, g.ViewerDocument, {}, key.secret);
    assert.deepEqual([...viewer.scopes], ["models:read"]);
  });

  it("refuses a key created by a key that was revoked since", async () => {
    const parent = await newApiKey(api, tenant, ["apikeys:write", "members:read"]);
    const child = await keyOf(api, parent.secret, ["members:read"]);
    assert.equal(await codeOf(api, g.MembersDocument, {}, child.secret), "OK");
    await gqlOk(api, g.RevokeApiKeyDocument, { id: parent.id }, tenant.token);
    assert.equal(await codeOf(api, g.MembersDocument, {}, child.secret), "UNAUTHENTICATED");
  });
});
