import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PredictionsDocument } from "./generated/graphql.js";
import { type Api, gql, gqlOk, newFleet, newTenant, startApi } from "./support/harness.js";
import { registerTestVersion, seedPredictions } from "./support/models.js";

let api: Api;

before(async () => {
  api = await startApi();
});

after(async () => {
  await api?.close();
});

const HOUR = 3_600_000;

describe("an asset's predictions over a time range", () => {
  it("keeps those made in [from, to), newest first, paged by cursor; refuses from after to; another tenant's asset is NOT_FOUND", async () => {
    const tenant = await newTenant(api, "History Pumps");
    const fleet = await newFleet(api, tenant, { assets: 2, sensors: ["s1"] });
    const [asset, otherAsset] = fleet.assets;
    assert.ok(asset && otherAsset);
    const { version } = await registerTestVersion(api, tenant, { assetTypeId: fleet.typeId, runId: "wf_history", rmse: 10 });
    const now = Date.now();
    const made = [30, 20, 10, 5, 1].map((hoursAgo) => new Date(now - hoursAgo * HOUR));
    await seedPredictions(api, tenant, [
      ...made.map((createdAt, i) => ({
        assetId: asset.id,
        task: "rul" as const,
        modelVersionId: version.id,
        createdAt,
        rul: 100 - i,
        rulLow: 90 - i,
        rulHigh: 110 - i,
      })),
      { assetId: otherAsset.id, task: "rul" as const, modelVersionId: version.id, createdAt: new Date(now - 2 * HOUR), rul: 7 },
      { assetId: asset.id, task: "anomaly" as const, modelVersionId: version.id, createdAt: new Date(now - 2 * HOUR), anomalyScore: 3 },
    ]);

    // The last day: the predictions made 20, 10, 5 and 1 hours ago, not the one of 30 hours ago, nor the other asset's or task's.
    const from = new Date(now - 24 * HOUR).toISOString();
    const to = new Date(now).toISOString();
    const day = await gqlOk(api, PredictionsDocument, { assetId: asset.id, task: "RUL", from, to }, tenant.token);
    assert.deepEqual(
      day.predictions.edges.map((e) => e.node.rul),
      [96, 97, 98, 99],
      "newest first",
    );
    // Paged two at a time, the same four.
    const first = await gqlOk(api, PredictionsDocument, { assetId: asset.id, task: "RUL", from, to, first: 2 }, tenant.token);
    assert.equal(first.predictions.pageInfo.hasNextPage, true);
    const second = await gqlOk(
      api,
      PredictionsDocument,
      { assetId: asset.id, task: "RUL", from, to, first: 2, after: first.predictions.pageInfo.endCursor },
      tenant.token,
    );
    assert.deepEqual(
      [...first.predictions.edges, ...second.predictions.edges].map((e) => e.node.rul),
      [96, 97, 98, 99],
    );
    assert.equal(second.predictions.pageInfo.hasNextPage, false);
    // `to` is exclusive: a range ending at the prediction of 5 hours ago leaves it out.
    const until = await gqlOk(api, PredictionsDocument, { assetId: asset.id, task: "RUL", from, to: made[3]?.toISOString() }, tenant.token);
    assert.deepEqual(
      until.predictions.edges.map((e) => e.node.rul),
      [98, 99],
    );
    // Without a task, both tasks of the range.
    const both = await gqlOk(api, PredictionsDocument, { assetId: asset.id, from, to }, tenant.token);
    assert.equal(both.predictions.edges.length, 5);

    const backwards = await gql(api, PredictionsDocument, { assetId: asset.id, from: to, to: from }, tenant.token);
    assert.equal(backwards.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(backwards.errors?.[0]?.message ?? "", /"from" must be before "to"/);

    const other = await newTenant(api, "Nosy Valves");
    const foreign = await gql(api, PredictionsDocument, { assetId: asset.id, from, to }, other.token);
    assert.equal(foreign.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const anonymous = await gql(api, PredictionsDocument, { assetId: asset.id, from, to });
    assert.equal(anonymous.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  });
});
