import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { loadArtifact } from "../src/models/versions.js";
import {
  AuditLogDocument,
  ModelDocument,
  ModelsDocument,
  ModelVersionsDocument,
  PromoteModelVersionDocument,
  RollbackModelDocument,
} from "./generated/graphql.js";
import {
  type Api,
  addMember,
  type GqlResult,
  gql,
  gqlOk,
  newApiKey,
  newFleet,
  newTenant,
  startApi,
  type TestTenant,
} from "./support/harness.js";
import { asOwner, registerTestVersion } from "./support/models.js";

describe("model registry", () => {
  let api: Api;
  let tenant: TestTenant;
  let typeId: string;

  before(async () => {
    api = await startApi();
    tenant = await newTenant(api, "Registry Ltd");
    typeId = (await newFleet(api, tenant, { assets: 1 })).typeId;
  });
  after(() => api.close());

  it("numbers versions per model, registers a run once, and stores its artifact by content", async () => {
    const first = await registerTestVersion(api, tenant, { assetTypeId: typeId, runId: "train-a", rmse: 15, artifact: "same bytes" });
    const again = await registerTestVersion(api, tenant, { assetTypeId: typeId, runId: "train-a", rmse: 99 });
    const second = await registerTestVersion(api, tenant, { assetTypeId: typeId, runId: "train-b", rmse: 13, artifact: "same bytes" });
    assert.equal(first.created, true);
    assert.equal(again.created, false, "the same run registers once");
    assert.equal(again.version.id, first.version.id);
    assert.deepEqual(again.version.metrics, { holdout: { rmse: 15 } });
    assert.deepEqual([first.version.version, second.version.version], [1, 2]);
    assert.equal(second.version.artifactSha256, createHash("sha256").update("same bytes").digest("hex"));
    assert.equal(first.version.artifactSha256, second.version.artifactSha256, "identical bytes share one artifact");
    const bytes = await asOwner(api, tenant, (ctx) => loadArtifact(ctx, second.version.artifactSha256));
    assert.equal(bytes.toString(), "same bytes");

    const listed = await gqlOk(api, ModelVersionsDocument, { modelId: first.model.id, first: 1 }, tenant.token);
    assert.equal(listed.modelVersions.edges[0]?.node.version, 2, "newest first");
    assert.equal(listed.modelVersions.pageInfo.hasNextPage, true);
  });

  it("promotes, rolls back step by step, and audits each change", async () => {
    const other = await newTenant(api, "Promote Ltd");
    const type = (await newFleet(api, other, { assets: 1 })).typeId;
    const v = [];
    for (const run of ["r1", "r2", "r3"])
      v.push((await registerTestVersion(api, other, { assetTypeId: type, runId: run, rmse: 14 })).version);
    const [v1, v2, v3] = v;
    assert.ok(v1 && v2 && v3);
    const promote = (versionId: string) => gqlOk(api, PromoteModelVersionDocument, { versionId, reason: "better holdout" }, other.token);
    assert.equal((await promote(v1.id)).promoteModelVersion.champion?.id, v1.id);
    await promote(v2.id);
    assert.equal((await promote(v3.id)).promoteModelVersion.champion?.id, v3.id);

    const rollback = () => gql(api, RollbackModelDocument, { modelId: v1.modelId, reason: "v3 misbehaves" }, other.token);
    assert.equal((await rollback()).data?.rollbackModel.champion?.id, v2.id);
    assert.equal((await rollback()).data?.rollbackModel.champion?.id, v1.id);
    const nothingLeft = await rollback();
    assert.equal(nothingLeft.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(nothingLeft.errors?.[0]?.message ?? "", /nothing to roll back/);
    const { model } = await gqlOk(api, ModelDocument, { id: v1.modelId }, other.token);
    assert.equal(model.champion?.id, v1.id, "a refused rollback changes nothing");

    const { auditLog } = await gqlOk(api, AuditLogDocument, { first: 50 }, other.token);
    const actions = auditLog.edges.map((e) => e.node.action).filter((a) => a.startsWith("model."));
    assert.deepEqual(actions, ["model.rollback", "model.rollback", "model.promote", "model.promote", "model.promote"]);
  });

  it("refuses a promotion without a reason, and another tenant's version", async () => {
    const { version } = await registerTestVersion(api, tenant, { assetTypeId: typeId, runId: "train-c", rmse: 12 });
    const noReason = await gql(api, PromoteModelVersionDocument, { versionId: version.id, reason: "  " }, tenant.token);
    assert.equal(noReason.errors?.[0]?.extensions?.code, "VALIDATION");
    const stranger = await newTenant(api, "Stranger Ltd");
    const foreign = await gql(api, PromoteModelVersionDocument, { versionId: version.id, reason: "take it" }, stranger.token);
    assert.equal(foreign.errors?.[0]?.extensions?.code, "NOT_FOUND");
    assert.deepEqual((await gqlOk(api, ModelsDocument, {}, stranger.token)).models, []);
  });

  it("changes the champion for owners and admins only: an engineer or a models:write key is refused naming models:promote", async () => {
    const team = await newTenant(api, "Champions Ltd");
    const type = (await newFleet(api, team, { assets: 1 })).typeId;
    const v1 = (await registerTestVersion(api, team, { assetTypeId: type, runId: "c1", rmse: 14 })).version;
    const v2 = (await registerTestVersion(api, team, { assetTypeId: type, runId: "c2", rmse: 13 })).version;
    await gqlOk(api, PromoteModelVersionDocument, { versionId: v1.id, reason: "first champion" }, team.token);
    const engineer = await addMember(api, team, "ENGINEER");
    const writer = await newApiKey(api, team, ["models:read", "models:write"]);
    const refusedWith = (result: GqlResult<unknown>, who: string) => {
      assert.equal(result.errors?.[0]?.extensions?.code, "FORBIDDEN", `${who}: ${JSON.stringify(result.errors)}`);
      assert.match(result.errors?.[0]?.message ?? "", /models:promote/, who);
      assert.equal(result.errors?.[0]?.extensions?.scope, "models:promote", who);
    };
    for (const [who, token] of [
      ["engineer", engineer.token],
      ["models:write key", writer.secret],
    ] as const) {
      refusedWith(await gql(api, PromoteModelVersionDocument, { versionId: v2.id, reason: "not mine to do" }, token), `${who} promoting`);
      refusedWith(await gql(api, RollbackModelDocument, { modelId: v1.modelId, reason: "not mine to do" }, token), `${who} rolling back`);
    }
    const { model: unchanged } = await gqlOk(api, ModelDocument, { id: v1.modelId }, team.token);
    assert.equal(unchanged.champion?.id, v1.id, "a refused change leaves the champion");

    const admin = await addMember(api, team, "ADMIN");
    const promoted = await gqlOk(api, PromoteModelVersionDocument, { versionId: v2.id, reason: "better holdout" }, admin.token);
    assert.equal(promoted.promoteModelVersion.champion?.id, v2.id);
    const rolled = await gqlOk(api, RollbackModelDocument, { modelId: v1.modelId, reason: "v2 misbehaves" }, admin.token);
    assert.equal(rolled.rollbackModel.champion?.id, v1.id);
  });

  it("lets a viewer read models but not promote them", async () => {
    const viewer = await addMember(api, tenant, "VIEWER");
    const { models } = await gqlOk(api, ModelsDocument, { assetTypeId: typeId, task: "RUL" }, viewer.token);
    assert.equal(models.length, 1);
    const versionId =
      models[0]?.champion?.id ??
      (await gqlOk(api, ModelVersionsDocument, { modelId: models[0]?.id ?? "" }, viewer.token)).modelVersions.edges[0]?.node.id;
    const refused = await gql(api, PromoteModelVersionDocument, { versionId: versionId ?? "", reason: "viewer tries" }, viewer.token);
    assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
  });
});
