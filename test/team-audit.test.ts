import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateInvitationDocument, OperatorTenantDocument, TeamAuditLogDocument, UpdateMemberRoleDocument } from "./generated/graphql.js";
import { type Api, addMember, codeOf, gqlOk, newApiKey, newOperator, newTenant, startApi, type TestTenant } from "./support/harness.js";

let api: Api;

before(async () => {
  api = await startApi();
});

after(async () => {
  await api?.close();
});

type Filter = { actorKind?: string; actorId?: string; action?: string; from?: string; to?: string };

async function entries(t: TestTenant, filter: Filter = {}, first = 100) {
  const { auditLog } = await gqlOk(api, TeamAuditLogDocument, { first, ...filter }, t.token);
  return auditLog.edges.map((e) => e.node);
}

describe("the audit log's filters", () => {
  it("narrows by actor, actor kind, action, action family and time; names the actor; pages within a filter", async () => {
    const owner = await newTenant(api, "Audit Filters AG");
    const admin = await addMember(api, owner, "ADMIN");
    const viewer = await addMember(api, owner, "VIEWER");
    await gqlOk(api, UpdateMemberRoleDocument, { userId: viewer.userId, role: "ENGINEER" }, admin.token);
    const engineer = await addMember(api, owner, "ENGINEER");
    const operator = await newOperator(api, "support");
    const reason = "Customer call: cannot find the new engineer";
    await gqlOk(api, OperatorTenantDocument, { tenantId: owner.tenantId, reason }, operator.token);

    const all = await entries(owner);
    // Arguments sent as null are no filter (as a client that always sends every variable does).
    assert.deepEqual(
      (await entries(owner, { actorKind: null, actorId: null, action: null, from: null, to: null } as unknown as Filter)).map((e) => e.id),
      all.map((e) => e.id),
    );
    assert.ok(all.length >= 9, `every write is listed (${all.length})`);

    const byAdmin = await entries(owner, { actorKind: "user", actorId: admin.userId });
    assert.deepEqual(
      byAdmin.map((e) => [e.action, e.actorName]),
      [
        ["member.role_changed", "ADMIN person"],
        ["invitation.accepted", "ADMIN person"],
      ],
    );
    assert.deepEqual(byAdmin[0]?.data, { from: "viewer", to: "engineer" });

    const operatorReads = await entries(owner, { actorKind: "operator" });
    assert.equal(operatorReads.length, 1);
    assert.equal(operatorReads[0]?.action, "operator.tenant_viewed");
    assert.equal(operatorReads[0]?.actorId, operator.id);
    assert.equal(operatorReads[0]?.actorName, null);
    assert.deepEqual(operatorReads[0]?.data, { reason });

    const exact = await entries(owner, { action: "member.role_changed" });
    assert.deepEqual(
      exact.map((e) => e.targetId),
      [viewer.userId],
    );
    const family = await entries(owner, { action: "invitation." });
    assert.equal(family.length, 6, "created and accepted, for three invitations");
    assert.ok(family.every((e) => e.action.startsWith("invitation.")));
    assert.deepEqual(await entries(owner, { action: "invitation" }), [], "without the dot, an exact action");
    assert.deepEqual(await entries(owner, { action: "%." }), [], "% in a family matches itself");

    // Time: from is included, to excluded; the engineer's acceptance splits the log.
    const engineerJoined = all.find((e) => e.action === "invitation.accepted" && e.actorId === engineer.userId);
    assert.ok(engineerJoined);
    const since = await entries(owner, { from: engineerJoined.createdAt });
    assert.ok(since.some((e) => e.id === engineerJoined.id));
    assert.ok(since.every((e) => e.createdAt >= engineerJoined.createdAt));
    const before = await entries(owner, { to: engineerJoined.createdAt });
    assert.ok(before.every((e) => e.createdAt < engineerJoined.createdAt));
    assert.equal(since.length + before.length, all.length);

    // Pages of one filter: the cursor keeps the filter.
    const first = await gqlOk(api, TeamAuditLogDocument, { first: 3, action: "invitation." }, owner.token);
    assert.equal(first.auditLog.pageInfo.hasNextPage, true);
    const second = await gqlOk(
      api,
      TeamAuditLogDocument,
      { first: 100, action: "invitation.", after: first.auditLog.pageInfo.endCursor },
      owner.token,
    );
    assert.deepEqual(
      [...first.auditLog.edges, ...second.auditLog.edges].map((e) => e.node.id),
      family.map((e) => e.id),
    );
  });

  it("names an API key as the actor, and keeps each tenant to its own entries", async () => {
    const a = await newTenant(api, "Audit Keys GmbH");
    const b = await newTenant(api, "Other Audit GmbH");
    const key = await newApiKey(api, a, ["members:read", "members:write"]);
    await gqlOk(api, CreateInvitationDocument, { email: "keyed@example.test", role: "VIEWER" }, key.secret);
    const byKey = await entries(a, { actorKind: "api_key" });
    assert.deepEqual(
      byKey.map((e) => [e.action, e.actorId, e.actorName]),
      [["invitation.created", key.id, "key with 2 scopes"]],
    );
    assert.deepEqual(await entries(b, { actorKind: "user", actorId: a.ownerId }), [], "another tenant's actor lists nothing");
    assert.deepEqual(await entries(b, { action: "api_key." }), []);
  });

  it("refuses bad filters with VALIDATION and callers without audit:read", async () => {
    const owner = await newTenant(api, "Audit Refusals SE");
    const viewer = await addMember(api, owner, "VIEWER");
    const at = "2026-06-01T00:00:00.000Z";
    assert.equal(await codeOf(api, TeamAuditLogDocument, { from: at, to: at }, owner.token), "VALIDATION");
    assert.equal(await codeOf(api, TeamAuditLogDocument, { from: "2026-07-01T00:00:00Z", to: at }, owner.token), "VALIDATION");
    assert.equal(await codeOf(api, TeamAuditLogDocument, { action: " " }, owner.token), "VALIDATION");
    assert.equal(await codeOf(api, TeamAuditLogDocument, { actorId: "x".repeat(101) }, owner.token), "VALIDATION");
    assert.equal(await codeOf(api, TeamAuditLogDocument, { from: "yesterday" }, owner.token), "VALIDATION");
    assert.equal(await codeOf(api, TeamAuditLogDocument, { actorKind: "operator" }, viewer.token), "FORBIDDEN");
    assert.equal(await codeOf(api, TeamAuditLogDocument, { actorKind: "operator" }, undefined), "UNAUTHENTICATED");
  });
});
