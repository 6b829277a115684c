import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseCmapss } from "../src/ml/cmapss.js";
import { runToFailureLabels } from "../src/ml/labels.js";
import { encodeRulModel } from "../src/ml/model-format.js";
import { fitRulModel, rulParams } from "../src/ml/rul-model.js";
import { ensureModel } from "../src/models/models.js";
import * as g from "./generated/graphql.js";
import { subscribeUnlimited } from "./support/billing.js";
import { CMAPSS_DIR, engineId, loadCmapss } from "./support/cmapss.js";
import { type Api, gql, gqlOk, newFleet, newTenant, startApi } from "./support/harness.js";
import { asOwner, registerTestVersion } from "./support/models.js";
import { msToNs, writeV2 } from "./support/telemetry.js";
import { recordTestUsage } from "./support/usage.js";
import { startWorker } from "./support/worker.js";

/** The free tier's limits, as the migration seeds them and docs/architecture.md documents them. */
const FREE = {
  pointsPerDay: 20_000,
  predictionsPerDay: 50,
  trainingRunsPerDay: 2,
  maxAssets: 5,
  maxModels: 1,
  retentionDays: 30,
  maxSeries: 50_000,
  graphqlCostPerMinute: null,
};

type Ext = Record<string, unknown> | undefined;
const errorOf = (r: { errors?: readonly { message: string; extensions?: Ext }[] | undefined }) => ({
  code: r.errors?.[0]?.extensions?.code,
  message: r.errors?.[0]?.message ?? "",
  ext: r.errors?.[0]?.extensions ?? {},
});

/** `n` one-field points of asset engine_1, a millisecond apart, starting `from` ms after `base`. */
const probeLines = (base: number, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `probe,asset=engine_1 s1=${i % 97} ${msToNs(base + from + i)}`).join("\n");

describe("security: a tenant without a subscription is on the free tier", () => {
  let api: Api;

  before(async () => {
    api = await startApi();
  });
  after(async () => {
    await api?.close();
  });

  it("shows the free tier as the default plan and as the plan of a new tenant", async () => {
    const tenant = await newTenant(api, "Stranger Ltd");
    const { plans } = await gqlOk(api, g.PlansDocument, {}, tenant.token);
    const free = plans.find((p) => p.isDefault);
    assert.equal(free?.code, "free");
    assert.equal(free?.baseAmount, 0);
    assert.deepEqual({ ...free?.entitlements }, FREE);
    assert.equal(plans.filter((p) => p.isDefault).length, 1);
    const { billingAccount } = await gqlOk(api, g.BillingAccountDocument, {}, tenant.token);
    assert.equal(billingAccount.status, "NONE");
    assert.equal(billingAccount.plan?.code, "free");
    assert.deepEqual({ ...billingAccount.plan?.entitlements }, FREE);
    const checkout = errorOf(await gql(api, g.StartCheckoutDocument, { planCode: "free" }, tenant.token));
    assert.equal(checkout.code, "CONFLICT", "the free tier is not sold through checkout");
  });

  it("refuses 100,050 points in one request, and the first point over the day's 20,000", async () => {
    const tenant = await newTenant(api, "Firehose Ltd");
    const fleet = await newFleet(api, tenant, { typeKey: "probe", assets: 1, sensors: ["s1"] });
    const base = Date.now() - 3 * 3_600_000;

    const flood = await writeV2(api, fleet.deviceToken, probeLines(base, 0, 100_050));
    assert.equal(flood.status, 429, JSON.stringify(flood.body));
    assert.equal(flood.body.limit, FREE.pointsPerDay);

    assert.equal((await writeV2(api, fleet.deviceToken, probeLines(base, 0, 19_999))).status, 204);
    assert.equal((await writeV2(api, fleet.deviceToken, probeLines(base, 19_999, 1))).status, 204, "the day's last point");
    const over = await writeV2(api, fleet.deviceToken, probeLines(base, 20_000, 1));
    assert.equal(over.status, 429);
    assert.deepEqual([over.body.limit, over.body.used], [FREE.pointsPerDay, FREE.pointsPerDay]);
  });

  it("refuses points older than the free tier's retention", async () => {
    const tenant = await newTenant(api, "Archive Ltd");
    const fleet = await newFleet(api, tenant, { typeKey: "probe", assets: 1, sensors: ["s1"] });
    const old = await writeV2(api, fleet.deviceToken, probeLines(Date.now() - (FREE.retentionDays + 1) * 86_400_000, 0, 1));
    assert.equal(old.status, 400, JSON.stringify(old.body));
    assert.equal((await writeV2(api, fleet.deviceToken, probeLines(Date.now() - 86_400_000, 0, 1))).status, 204);
  });

  it("refuses the sixth asset and the second model with QUOTA_EXCEEDED", async () => {
    const tenant = await newTenant(api, "Hoarder Ltd");
    const fleet = await newFleet(api, tenant, { assets: FREE.maxAssets });
    const sixth = errorOf(
      await gql(api, g.CreateAssetDocument, { input: { assetTypeId: fleet.typeId, externalId: "engine_6", name: "6" } }, tenant.token),
    );
    assert.equal(sixth.code, "QUOTA_EXCEEDED");
    assert.deepEqual([sixth.ext.entitlement, sixth.ext.limit, sixth.ext.used], ["maxAssets", FREE.maxAssets, FREE.maxAssets]);

    await registerTestVersion(api, tenant, { assetTypeId: fleet.typeId, runId: "free-rul", rmse: 10 });
    const second = await asOwner(api, tenant, (ctx) => ensureModel(ctx, { assetTypeId: fleet.typeId, task: "anomaly" })).then(
      () => "created",
      (e: unknown) => (e as { code?: string }).code,
    );
    assert.equal(second, "QUOTA_EXCEEDED");
    const training = errorOf(
      await gql(
        api,
        g.TrainModelDocument,
        { input: { assetTypeId: fleet.typeId, task: "ANOMALY", reason: "a second model" } },
        tenant.token,
      ),
    );
    assert.equal(training.code, "QUOTA_EXCEEDED");
    assert.deepEqual([training.ext.entitlement, training.ext.limit], ["maxModels", FREE.maxModels]);
  });

  it("refuses the third training run of the day before it starts", async () => {
    const tenant = await newTenant(api, "Trainer Ltd");
    const fleet = await newFleet(api, tenant, { assets: 2 });
    const input = { input: { assetTypeId: fleet.typeId, task: "RUL" as const, reason: "free training" } };
    // Two runs registered today (a run is counted where it registers its version).
    await recordTestUsage(api, tenant.tenantId, [{ meter: "training_runs", quantity: FREE.trainingRunsPerDay - 1, at: new Date() }]);
    const worker = await startWorker(api);
    try {
      const { trainModel } = await gqlOk(api, g.TrainModelDocument, input, tenant.token);
      assert.equal(trainModel.status, "RUNNING", "the second run of the day starts");
      await gql(api, g.CancelTrainingRunDocument, { id: trainModel.id }, tenant.token);
    } finally {
      await worker.close();
    }
    await recordTestUsage(api, tenant.tenantId, [{ meter: "training_runs", quantity: 1, at: new Date() }]);

    const refused = errorOf(await gql(api, g.TrainModelDocument, input, tenant.token));
    assert.equal(refused.code, "QUOTA_EXCEEDED");
    assert.deepEqual(
      [refused.ext.meter, refused.ext.limit, refused.ext.used],
      ["training_runs", FREE.trainingRunsPerDay, FREE.trainingRunsPerDay],
    );
  });

  it("refuses the prediction over the day's 50, and a subscribed tenant gets its plan's limits", async () => {
    const tenant = await newTenant(api, "Oracle Ltd");
    const fleet = await loadCmapss(api, tenant, { trainUnits: 0, testUnits: 2 });
    const trainSet = parseCmapss(readFileSync(join(CMAPSS_DIR, "train_FD001.txt"), "utf8"));
    const small = { ...trainSet, assets: trainSet.assets.slice(0, 10) };
    const model = fitRulModel(small, runToFailureLabels(small, rulParams().cap), {
      ensemble: 1,
      gbm: { trees: 20 },
      interval: { folds: 0 },
    });
    const { version } = await registerTestVersion(api, tenant, {
      assetTypeId: fleet.typeId,
      runId: "free-champion",
      rmse: 20,
      artifact: encodeRulModel(model),
    });
    await gqlOk(api, g.PromoteModelVersionDocument, { versionId: version.id, reason: "the only version" }, tenant.token);
    const assetId = fleet.assets.get(engineId("test", 1)) ?? "";

    await recordTestUsage(api, tenant.tenantId, [{ meter: "predictions", quantity: FREE.predictionsPerDay - 1, at: new Date() }]);
    await gqlOk(api, g.PredictRulDocument, { assetId }, tenant.token);
    const refused = errorOf(await gql(api, g.PredictRulDocument, { assetId }, tenant.token));
    assert.equal(refused.code, "QUOTA_EXCEEDED");
    assert.deepEqual(
      [refused.ext.meter, refused.ext.limit, refused.ext.used],
      ["predictions", FREE.predictionsPerDay, FREE.predictionsPerDay],
    );

    await subscribeUnlimited(api, tenant);
    const { billingAccount } = await gqlOk(api, g.BillingAccountDocument, {}, tenant.token);
    assert.equal(billingAccount.status, "ACTIVE");
    assert.equal(billingAccount.plan?.entitlements.predictionsPerDay, null);
    await gqlOk(api, g.PredictRulDocument, { assetId }, tenant.token);
  });
});
