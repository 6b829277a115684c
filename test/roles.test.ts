import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connectDb, type Db } from "../src/db/client.js";
import * as ops from "./generated/graphql.js";
import {
  type Api,
  addMember,
  codeOf,
  gqlOk,
  newApiKey,
  newOperator,
  newTenant,
  ownerUrl,
  startApi,
  type TestTenant,
  uniqueEmail,
} from "./support/harness.js";

describe("roles, scopes and the operator path", () => {
  let api: Api;
  let t: TestTenant;
  let other: TestTenant;
  let owner: Db;

  before(async () => {
    api = await startApi();
    t = await newTenant(api, "Roles Inc");
    other = await newTenant(api, "Other Inc");
    owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
  });
  after(async () => {
    await owner?.close();
    await api?.close();
  });

  it("lets a viewer read but not write", async () => {
    const viewer = await addMember(api, t, "VIEWER");
    const { tenant } = await gqlOk(api, ops.TenantDocument, {}, viewer.token);
    assert.equal(tenant.id, t.tenantId);
    const { members } = await gqlOk(api, ops.MembersDocument, {}, viewer.token);
    assert.ok(members.edges.length >= 2);
    assert.equal(await codeOf(api, ops.RenameTenantDocument, { name: "Hijacked" }, viewer.token), "FORBIDDEN");
    assert.equal(await codeOf(api, ops.CreateInvitationDocument, { email: uniqueEmail("x"), role: "VIEWER" }, viewer.token), "FORBIDDEN");
    assert.equal(await codeOf(api, ops.CreateApiKeyDocument, { input: { name: "k", scopes: ["tenant:read"] } }, viewer.token), "FORBIDDEN");
    assert.equal(await codeOf(api, ops.AuditLogDocument, {}, viewer.token), "FORBIDDEN");
    const { tenant: unchanged } = await gqlOk(api, ops.TenantDocument, {}, t.token);
    assert.equal(unchanged.name, "Roles Inc");
  });

  it("lets an admin manage members but not hand out the owner role", async () => {
    const admin = await addMember(api, t, "ADMIN");
    const engineer = await addMember(api, t, "ENGINEER");
    const { updateMemberRole } = await gqlOk(api, ops.UpdateMemberRoleDocument, { userId: engineer.userId, role: "VIEWER" }, admin.token);
    assert.equal(updateMemberRole.role, "VIEWER");
    assert.equal(await codeOf(api, ops.UpdateMemberRoleDocument, { userId: engineer.userId, role: "OWNER" }, admin.token), "FORBIDDEN");
    assert.equal(await codeOf(api, ops.UpdateMemberRoleDocument, { userId: t.ownerId, role: "VIEWER" }, admin.token), "FORBIDDEN");
    assert.equal(await codeOf(api, ops.CreateInvitationDocument, { email: uniqueEmail("o"), role: "OWNER" }, admin.token), "FORBIDDEN");
  });

  it("keeps at least one owner, and refuses a removed member's token at once", async () => {
    assert.equal(await codeOf(api, ops.UpdateMemberRoleDocument, { userId: t.ownerId, role: "ADMIN" }, t.token), "CONFLICT");
    const second = await addMember(api, t, "OWNER");
    await gqlOk(api, ops.UpdateMemberRoleDocument, { userId: t.ownerId, role: "ADMIN" }, second.token);
    await gqlOk(api, ops.UpdateMemberRoleDocument, { userId: t.ownerId, role: "OWNER" }, second.token);
    const leaving = await addMember(api, t, "ENGINEER");
    await gqlOk(api, ops.RemoveMemberDocument, { userId: leaving.userId }, t.token);
    assert.equal(await codeOf(api, ops.ViewerDocument, {}, leaving.token), "UNAUTHENTICATED");
  });

  it("gives an API key exactly its scopes, never more than its creator holds", async () => {
    const key = await newApiKey(api, t, ["members:read"]);
    const { members } = await gqlOk(api, ops.MembersDocument, {}, key.secret);
    assert.ok(members.edges.length > 0);
    assert.equal(await codeOf(api, ops.TenantDocument, {}, key.secret), "FORBIDDEN");
    const engineer = await addMember(api, t, "ENGINEER");
    // Engineers do not hold apikeys:write at all…
    assert.equal(
      await codeOf(api, ops.CreateApiKeyDocument, { input: { name: "e", scopes: ["telemetry:write"] } }, engineer.token),
      "FORBIDDEN",
    );
    // …and an admin cannot mint billing:write, which admins do not hold.
    const admin = await addMember(api, t, "ADMIN");
    assert.equal(
      await codeOf(api, ops.CreateApiKeyDocument, { input: { name: "b", scopes: ["billing:write"] } }, admin.token),
      "FORBIDDEN",
    );
    const { createApiKey } = await gqlOk(
      api,
      ops.CreateApiKeyDocument,
      { input: { name: "ro", scopes: ["billing:read", "tenant:read"] } },
      admin.token,
    );
    assert.deepEqual([...createApiKey.apiKey.scopes].sort(), ["billing:read", "tenant:read"]);
    const { apiKeys } = await gqlOk(api, ops.ApiKeysDocument, {}, t.token);
    const used = apiKeys.edges.find((e) => e.node.id === key.id);
    assert.ok(used?.node.lastUsedAt, "a used key shows when it was last used");
    assert.ok(!JSON.stringify(apiKeys).includes(key.secret.slice(18)), "the secret is never shown again");
  });

  it("lets operators read across tenants only through their path, each read audited with its reason", async () => {
    const { id: operatorId, token, role } = await newOperator(api, "support");
    assert.equal(role, "SUPPORT");

    // The tenant paths stay closed to an operator.
    assert.equal(await codeOf(api, ops.TenantDocument, {}, token), "FORBIDDEN");
    assert.equal(await codeOf(api, ops.MembersDocument, {}, token), "FORBIDDEN");
    // The operator path needs a reason.
    assert.equal(await codeOf(api, ops.OperatorTenantDocument, { tenantId: other.tenantId, reason: "" }, token), "VALIDATION");

    const reason = "ticket 4711: customer asks why a member cannot sign in";
    const { operatorTenant } = await gqlOk(api, ops.OperatorTenantDocument, { tenantId: other.tenantId, reason }, token);
    assert.equal(operatorTenant.tenant.id, other.tenantId);
    assert.equal(operatorTenant.members[0]?.userId, other.ownerId);
    const { operatorTenants } = await gqlOk(api, ops.OperatorTenantsDocument, { reason: "monthly review of tenants", first: 100 }, token);
    assert.ok(operatorTenants.edges.length > 0);

    const logged = await owner.sql<{ action: string; reason: string; subject_tenant_id: string | null }[]>`
      select action, reason, subject_tenant_id from operator_access_log where operator_id = ${operatorId} order by id`;
    assert.deepEqual(
      logged.map((r) => [r.action, r.subject_tenant_id]),
      [
        ["operator.tenant_viewed", other.tenantId],
        ["operator.tenants_listed", null],
      ],
    );
    assert.equal(logged[0]?.reason, reason);
    // The tenant sees the access in its own audit log.
    const { auditLog } = await gqlOk(api, ops.AuditLogDocument, { first: 5 }, other.token);
    const entry = auditLog.edges.find((e) => e.node.actorKind === "operator");
    assert.equal(entry?.node.actorId, operatorId);
    assert.equal(entry?.node.data.reason, reason);
  });

  it("records an operator's lookup of a tenant that does not exist, and answers NOT_FOUND", async () => {
    const { id, token } = await newOperator(api, "finance");
    assert.equal(
      await codeOf(api, ops.OperatorTenantDocument, { tenantId: "ten_00000000000000000000000000", reason: "checking a ticket" }, token),
      "NOT_FOUND",
    );
    const rows = await owner.sql<{ action: string; reason: string; subject_tenant_id: string | null }[]>`
      select action, reason, subject_tenant_id from operator_access_log where operator_id = ${id}`;
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.action, "operator.tenant_not_found");
    assert.match(rows[0]?.reason ?? "", /checking a ticket.*ten_00000000000000000000000000/);
    assert.equal(rows[0]?.subject_tenant_id, null);
  });

  it("serialises owner changes so that a tenant keeps an owner under concurrent demotions", async () => {
    const tenant = await newTenant(api, "Race Ltd");
    const second = await addMember(api, tenant, "OWNER");
    const results = await Promise.all([
      codeOf(api, ops.UpdateMemberRoleDocument, { userId: second.userId, role: "ADMIN" }, tenant.token),
      codeOf(api, ops.UpdateMemberRoleDocument, { userId: tenant.ownerId, role: "ADMIN" }, second.token),
    ]);
    assert.ok(results.includes("OK"), JSON.stringify(results));
    const { members } = await gqlOk(api, ops.MembersDocument, {}, tenant.token).catch(() =>
      gqlOk(api, ops.MembersDocument, {}, second.token),
    );
    assert.equal(members.edges.filter((e) => e.node.role === "OWNER").length, 1, JSON.stringify(results));
  });
});
