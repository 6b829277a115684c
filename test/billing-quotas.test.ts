import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { scopesOfRole } from "../src/auth/scopes.js";
import { tenantCall } from "../src/core/calls.js";
import { DEVICE_SCOPES } from "../src/core/context.js";
import { newId } from "../src/core/ids.js";
import type { Db } from "../src/db/client.js";
import type { TrainRequest } from "../src/mlops/index.js";
import { TRAIN_MODEL } from "../src/mlops/index.js";
import { ensureModel } from "../src/models/models.js";
import { ingest } from "../src/telemetry/ingest.js";
import { startWorkflow } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { type CmapssFleet, loadCmapss } from "./support/cmapss.js";
import { type Api, gql, gqlOk, newFleet, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { asOwner, registerTestVersion } from "./support/models.js";
import { insertTestPlan, ownerDb, setPlanLimits, setSubscription, shiftUsageBackADay } from "./support/plans.js";
import { msToNs, turbofanLine, writeV2 } from "./support/telemetry.js";
import { type RunningWorker, startWorker, temporalClient, waitFor } from "./support/worker.js";

const DAY_MS = 86_400_000;
const nextMidnight = (at: number) => new Date(Math.floor(at / DAY_MS) * DAY_MS + DAY_MS).toISOString();

type Ext = Record<string, unknown> | undefined;
const errorOf = (r: { errors?: readonly { message: string; extensions?: Ext }[] | undefined }) => ({
  code: r.errors?.[0]?.extensions?.code,
  message: r.errors?.[0]?.message ?? "",
  ext: r.errors?.[0]?.extensions ?? {},
});

/** The innermost message of a failed workflow (the activity's own error). */
function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

describe("billing: quotas from the plan's entitlements, and the read-only state", () => {
  let api: Api;
  let owner: Db;

  before(async () => {
    api = await startApi();
    owner = ownerDb();
  });
  after(async () => {
    await owner?.close();
    await api?.close();
  });

  it("refuses the first batch over the plan's points per day with 429 and the details, and accepts again after midnight", async () => {
    const tenant = await newTenant(api, "Points Ltd");
    const fleet = await newFleet(api, tenant, { assets: 1 });
    const plan = await insertTestPlan(owner, { pointsPerDay: 100 });
    await setSubscription(owner, tenant.tenantId, { planId: plan.id, status: "active" });
    api.services.scopes.clear();
    const base = Date.now() - 2 * 3_600_000;
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => turbofanLine("engine_1", from + i, msToNs(base + (from + i) * 1000))).join("\n");

    assert.equal((await writeV2(api, fleet.deviceToken, batch(0, 80))).status, 204);
    const before = Date.now();
    const over = await writeV2(api, fleet.deviceToken, batch(80, 30));
    assert.equal(over.status, 429);
    assert.equal(over.headers.get("x-pdm-error-code"), "QUOTA_EXCEEDED");
    assert.equal(over.body.meter, "points_ingested");
    assert.equal(over.body.limit, 100);
    assert.equal(over.body.used, 80);
    assert.equal(over.body.resetsAt, nextMidnight(before));
    const retryAfter = Number(over.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 86_400, `Retry-After ${retryAfter}`);
    assert.equal(over.body.retryAfterSeconds, retryAfter);
    assert.match(String(over.body.message), /daily quota of 100 points is reached \(80 used today/);

    // The tenant's own quota applies as well: the smaller of the two wins.
    await owner.sql`update tenants set daily_point_quota = 90 where id = ${tenant.tenantId}`;
    api.services.scopes.clear();
    const smaller = await writeV2(api, fleet.deviceToken, batch(80, 15));
    assert.equal(smaller.status, 429);
    assert.equal(smaller.body.limit, 90);
    assert.equal((await writeV2(api, fleet.deviceToken, batch(80, 10))).status, 204, "what fits under the smaller limit is accepted");
    await owner.sql`update tenants set daily_point_quota = null where id = ${tenant.tenantId}`;
    api.services.scopes.clear();

    // The next UTC day, through the same ingest path with its clock one minute past midnight.
    const tomorrow = Date.parse(nextMidnight(Date.now())) + 60_000;
    const deps = {
      db: api.services.db,
      store: api.services.store,
      scopes: api.services.scopes,
      series: api.services.series,
      clock: { now: () => new Date(tomorrow) },
    };
    const ctx = {
      principal: { kind: "device" as const, tenantId: tenant.tenantId, deviceId: fleet.deviceId, scopes: DEVICE_SCOPES },
      requestId: "quota-day",
      deps,
    };
    const accepted = await ingest(ctx, { body: batch(200, 30), precision: "ns", source: "http_v2" });
    assert.deepEqual(accepted, { points: 30, billed: true });
    const refused = await ingest(ctx, { body: batch(300, 71), precision: "ns", source: "http_v2" }).catch((e: unknown) => e);
    assert.equal((refused as { code?: string }).code, "QUOTA_EXCEEDED", "the new day has its own limit of 100 (30 used)");
  });

  it("refuses assets and models beyond the plan's maximum, and accepts them after an upgrade", async () => {
    const tenant = await newTenant(api, "Counted Ltd");
    const plan = await insertTestPlan(owner, { maxAssets: 2, maxModels: 1 });
    await setSubscription(owner, tenant.tenantId, { planId: plan.id, status: "active" });
    const fleet = await newFleet(api, tenant, { assets: 2 });
    const create = (externalId: string) =>
      gql(api, g.CreateAssetDocument, { input: { assetTypeId: fleet.typeId, externalId, name: externalId } }, tenant.token);

    const third = errorOf(await create("engine_3"));
    assert.equal(third.code, "QUOTA_EXCEEDED");
    assert.deepEqual(
      { entitlement: third.ext.entitlement, limit: third.ext.limit, used: third.ext.used, resetsAt: third.ext.resetsAt },
      { entitlement: "maxAssets", limit: 2, used: 2, resetsAt: null },
    );
    assert.match(third.message, /at most 2 assets and 2 exist: delete one .*or upgrade the plan/);

    await registerTestVersion(api, tenant, { assetTypeId: fleet.typeId, runId: "counted-rul", rmse: 10 });
    const second = await asOwner(api, tenant, (ctx) => ensureModel(ctx, { assetTypeId: fleet.typeId, task: "anomaly" })).catch(
      (e: unknown) => e as { code?: string; details?: Record<string, unknown> },
    );
    assert.equal((second as { code?: string }).code, "QUOTA_EXCEEDED", "registering a second model is refused");
    const training = errorOf(
      await gql(api, g.TrainModelDocument, { input: { assetTypeId: fleet.typeId, task: "ANOMALY", reason: "second model" } }, tenant.token),
    );
    assert.equal(training.code, "QUOTA_EXCEEDED", "a training that would register a new model is refused before it starts");
    assert.deepEqual(
      { entitlement: training.ext.entitlement, limit: training.ext.limit, used: training.ext.used },
      {
        entitlement: "maxModels",
        limit: 1,
        used: 1,
      },
    );
    const { trainingRuns } = await gqlOk(api, g.TrainingRunsDocument, { assetTypeId: fleet.typeId }, tenant.token);
    assert.equal(trainingRuns.edges.length, 0, "no run was opened");

    await setPlanLimits(owner, plan.id, { maxAssets: 3, maxModels: 2 });
    assert.equal(errorOf(await create("engine_3")).code, undefined);
    assert.equal(errorOf(await create("engine_4")).code, "QUOTA_EXCEEDED");
    const anomaly = await asOwner(api, tenant, (ctx) => ensureModel(ctx, { assetTypeId: fleet.typeId, task: "anomaly" }));
    assert.match(anomaly.id, /^mdl_/);
  });

  describe("a read-only tenant", () => {
    let tenant: TestTenant;
    let fleet: Awaited<ReturnType<typeof newFleet>>;
    let planId: string;
    const line = (cycle: number) => turbofanLine("engine_1", cycle, msToNs(Date.now() - 3_600_000 + cycle * 1000));
    const createAsset = (externalId: string) =>
      gql(api, g.CreateAssetDocument, { input: { assetTypeId: fleet.typeId, externalId, name: externalId } }, tenant.token);

    before(async () => {
      tenant = await newTenant(api, "Overdue Ltd");
      fleet = await newFleet(api, tenant, { assets: 1 });
      planId = (await insertTestPlan(owner, { baseAmount: 4900 })).id;
    });

    it("still writes while a payment is overdue inside the grace period", async () => {
      await setSubscription(owner, tenant.tenantId, { planId, status: "past_due", pastDueSince: new Date(Date.now() - 2 * DAY_MS) });
      api.services.scopes.clear();
      assert.equal(errorOf(await createAsset("engine_in_grace")).code, undefined);
      assert.equal((await writeV2(api, fleet.deviceToken, line(1))).status, 204);
    });

    it("reads, but every kind of write answers PAYMENT_REQUIRED once the grace period is over; paying still works", async () => {
      await setSubscription(owner, tenant.tenantId, { planId, status: "past_due", pastDueSince: new Date(Date.now() - 8 * DAY_MS) });
      api.services.scopes.clear();

      const { assets } = await gqlOk(api, g.AssetsDocument, { first: 10 }, tenant.token);
      assert.equal(assets.edges.length, 2, "reads work");
      const { invoicePreview } = await gqlOk(api, g.InvoicePreviewDocument, {}, tenant.token);
      assert.equal(invoicePreview.total, 4900, "billing can be read");

      const mutation = errorOf(await createAsset("engine_read_only"));
      assert.equal(mutation.code, "PAYMENT_REQUIRED");
      assert.match(mutation.message, /grace period ended at .*nothing written until the invoice is paid/);
      const training = errorOf(
        await gql(api, g.TrainModelDocument, { input: { assetTypeId: fleet.typeId, task: "RUL", reason: "retrain" } }, tenant.token),
      );
      assert.equal(training.code, "PAYMENT_REQUIRED");
      const prediction = errorOf(await gql(api, g.PredictRulDocument, { assetId: fleet.assets[0]?.id ?? "" }, tenant.token));
      assert.equal(prediction.code, "PAYMENT_REQUIRED", "a billed prediction is a write");

      for (const path of ["/api/v2/write?bucket=b&precision=ns", "/write?db=d&precision=n"]) {
        const res = await fetch(`${api.url}${path}`, {
          method: "POST",
          headers: { authorization: `Token ${fleet.deviceToken}` },
          body: line(2),
        });
        const body = (await res.json()) as { message?: string; error?: string };
        assert.equal(res.status, 402, path);
        assert.equal(res.headers.get("x-pdm-error-code"), "PAYMENT_REQUIRED");
        assert.equal(body.message ?? body.error, mutation.message, "the same message as the API's");
      }

      // The billing writes (checkout, the customer portal) pass the gate: paying is the way out.
      const member = { kind: "member" as const, tenantId: tenant.tenantId, userId: tenant.ownerId, role: "owner" as const };
      const rc = { requestId: "req_test", services: api.services, principal: { ...member, scopes: scopesOfRole("owner") } };
      assert.equal(await tenantCall(rc, "billing:write", async () => "reached"), "reached");
      await assert.rejects(
        tenantCall(rc, "assets:write", async () => "reached"),
        { code: "PAYMENT_REQUIRED" },
      );
      // Changing a model's champion is a write too, although its scope does not end in ":write".
      await assert.rejects(
        tenantCall(rc, "models:promote", async () => "reached"),
        { code: "PAYMENT_REQUIRED" },
      );
    });

    it("after the subscription ended, answers PAYMENT_REQUIRED saying to subscribe again", async () => {
      await setSubscription(owner, tenant.tenantId, { planId, status: "canceled" });
      api.services.scopes.clear();
      const refused = errorOf(await createAsset("engine_cancelled"));
      assert.equal(refused.code, "PAYMENT_REQUIRED");
      assert.match(refused.message, /subscription has ended.*Subscribe again/);
      assert.equal((await writeV2(api, fleet.deviceToken, line(3))).status, 402);
      await setSubscription(owner, tenant.tenantId, { planId, status: "active" });
      api.services.scopes.clear();
      assert.equal(errorOf(await createAsset("engine_paid_again")).code, undefined, "a paid subscription writes again");
    });
  });

  describe("predictions and training runs per day", () => {
    let worker: RunningWorker;
    let tenant: TestTenant;
    let fleet: CmapssFleet;
    let planId: string;
    const train = async (runId: string) => {
      const request: TrainRequest = {
        tenantId: tenant.tenantId,
        assetTypeId: fleet.typeId,
        task: "rul",
        trigger: "manual",
        reason: "quota test",
        requestedBy: `user:${tenant.ownerId}`,
        params: { ensemble: 1, gbm: { trees: 40 }, interval: { folds: 0 } },
      };
      const temporal = await temporalClient();
      try {
        const handle = await startWorkflow(temporal.client, TRAIN_MODEL, { workflowId: runId, args: [request] });
        return await handle.result();
      } finally {
        await temporal.close();
      }
    };
    const testAsset = (unit: number) => fleet.assets.get(`test_${String(unit).padStart(3, "0")}`) ?? "";

    before(async () => {
      worker = await startWorker(api);
      tenant = await newTenant(api, "Daily Ltd");
      planId = (await insertTestPlan(owner, { trainingRunsPerDay: 1 })).id;
      await setSubscription(owner, tenant.tenantId, { planId, status: "active" });
      fleet = await loadCmapss(api, tenant, { trainUnits: 25, testUnits: 6 });
      await train(newId("trainingRun"));
    });
    after(async () => {
      await worker?.close();
    });

    it("refuses the training run over the day's limit before it starts, and accepts it the next day", async () => {
      const input = { input: { assetTypeId: fleet.typeId, task: "RUL" as const, reason: "second run today" } };
      const before = Date.now();
      const refused = errorOf(await gql(api, g.TrainModelDocument, input, tenant.token));
      assert.equal(refused.code, "QUOTA_EXCEEDED");
      assert.deepEqual(
        { meter: refused.ext.meter, limit: refused.ext.limit, used: refused.ext.used, resetsAt: refused.ext.resetsAt },
        { meter: "training_runs", limit: 1, used: 1, resetsAt: nextMidnight(before) },
      );
      assert.ok(Number(refused.ext.retryAfterSeconds) > 0);
      assert.match(refused.message, /daily quota of 1 training runs is reached \(1 used today/);

      await shiftUsageBackADay(owner, tenant.tenantId, "training_runs");
      const { trainModel } = await gqlOk(api, g.TrainModelDocument, input, tenant.token);
      assert.equal(trainModel.status, "RUNNING");
      await gqlOk(api, g.CancelTrainingRunDocument, { id: trainModel.id }, tenant.token);
    });

    it("re-checks the day's runs where a run is billed: a run over the limit fails without registering", async () => {
      await setPlanLimits(owner, planId, { trainingRunsPerDay: 0 });
      const runId = newId("trainingRun");
      const failure = await train(runId).then(
        () => "succeeded",
        (e: unknown) => rootMessage(e),
      );
      assert.match(failure, /daily quota of 0 training runs is reached/);
      const { trainingRun } = await gqlOk(api, g.TrainingRunDocument, { id: runId }, tenant.token);
      assert.equal(trainingRun.status, "FAILED");
      assert.equal(trainingRun.versionId, null);
      await setPlanLimits(owner, planId, { trainingRunsPerDay: null });
    });

    it("refuses the prediction over the day's limit, online and in batch, and predicts again the next day", async () => {
      await setPlanLimits(owner, planId, { predictionsPerDay: 2 });
      for (const unit of [1, 2]) await gqlOk(api, g.PredictRulDocument, { assetId: testAsset(unit) }, tenant.token);
      const before = Date.now();
      const refused = errorOf(await gql(api, g.PredictRulDocument, { assetId: testAsset(3) }, tenant.token));
      assert.equal(refused.code, "QUOTA_EXCEEDED");
      assert.deepEqual(
        { meter: refused.ext.meter, limit: refused.ext.limit, used: refused.ext.used, resetsAt: refused.ext.resetsAt },
        { meter: "predictions", limit: 2, used: 2, resetsAt: nextMidnight(before) },
      );
      assert.match(refused.message, /daily quota of 2 predictions is reached/);

      const { scoreFleet: runId } = await gqlOk(api, g.ScoreFleetDocument, { assetTypeId: fleet.typeId }, tenant.token);
      const temporal = await temporalClient();
      try {
        const outcome = await temporal.client.workflow
          .getHandle(runId)
          .result()
          .then(
            () => "completed",
            (e: unknown) => rootMessage(e),
          );
        assert.match(outcome, /daily quota of 2 predictions is reached/, "the scoring run fails naming the quota");
      } finally {
        await temporal.close();
      }
      const run = await waitFor("the scoring run to be closed", 30_000, async () => {
        const { scoringRun } = await gqlOk(api, g.ScoringRunDocument, { id: runId }, tenant.token);
        return scoringRun.status === "RUNNING" ? undefined : scoringRun;
      });
      assert.equal(run.status, "FAILED");
      const [stored] = await owner.sql<{ n: number }[]>`
        select count(*)::int as n from asset_predictions where tenant_id = ${tenant.tenantId} and source = ${runId}`;
      assert.equal(stored?.n, 0, "the refused chunk stored nothing");

      await shiftUsageBackADay(owner, tenant.tenantId, "predictions");
      const { predictRul } = await gqlOk(api, g.PredictRulDocument, { assetId: testAsset(3) }, tenant.token);
      assert.equal(predictRul.assetId, testAsset(3));
    });
  });
});
