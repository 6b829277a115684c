import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { parseCmapss, parseRulList } from "../src/ml/cmapss.js";
import { runToFailureLabels } from "../src/ml/labels.js";
import { rmse } from "../src/ml/metrics.js";
import { fitRulModel, predictRul, rulParams } from "../src/ml/rul-model.js";
import * as g from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import { CMAPSS_DIR, type CmapssFleet, engineId, loadCmapss } from "./support/cmapss.js";
import { type Api, gql, gqlOk, newTenant, ownerUrl, startApi, type TestTenant } from "./support/harness.js";
import { type RunningWorker, startWorker, waitFor } from "./support/worker.js";

/** Training on all of FD001 through the platform, then scoring the test engines. */
describe("MLOps on C-MAPSS FD001: train, register, score", () => {
  let api: Api;
  let worker: RunningWorker;
  let tenant: TestTenant;
  let fleet: CmapssFleet;
  let owner: postgres.Sql;

  before(async () => {
    api = await startApi();
    worker = await startWorker(api);
    owner = postgres(ownerUrl(), { max: 1, onnotice: () => {} });
    tenant = await newPaidTenant(api, "Turbofan Operator");
    fleet = await loadCmapss(api, tenant);
  });
  after(async () => {
    await worker?.close();
    await owner?.end();
    await api?.close();
  });

  const run = async (id: string) => (await gqlOk(api, g.TrainingRunDocument, { id }, tenant.token)).trainingRun;

  it("trains a champion from the run-to-failure engines, with its lineage and usage", async () => {
    const { trainModel } = await gqlOk(
      api,
      g.TrainModelDocument,
      { input: { assetTypeId: fleet.typeId, task: "RUL", reason: "first model for the fleet" } },
      tenant.token,
    );
    assert.equal(trainModel.status, "RUNNING");
    const stages = new Set<string>();
    const done = await waitFor("the training run to end", 15 * 60_000, async () => {
      const r = await run(trainModel.id);
      if (r.progress) stages.add(r.progress.stage);
      return r.status === "RUNNING" ? undefined : r;
    });
    assert.equal(done.status, "SUCCEEDED", done.error ?? "");
    assert.equal(done.promoted, true, "the first model becomes champion");
    assert.ok(stages.size > 0, "progress was readable while it ran");

    const { models } = await gqlOk(api, g.ModelsDocument, { assetTypeId: fleet.typeId }, tenant.token);
    const champion = models[0]?.champion;
    assert.equal(champion?.id, done.versionId);
    assert.equal(champion?.runId, trainModel.id);
    const lineage = champion?.lineage as { assetCount: number; rows: number; unlabelledAssets: number };
    assert.equal(lineage.assetCount, 100, "every training engine ran to a recorded failure");
    assert.equal(lineage.unlabelledAssets, 100, "the test engines have no failure and are left out");
    const train = parseCmapss(readFileSync(join(CMAPSS_DIR, "train_FD001.txt"), "utf8"));
    assert.equal(
      lineage.rows,
      train.assets.reduce((sum, a) => sum + a.time.length, 0),
    );
    const metrics = champion?.metrics as { holdout: { rmse: number; assets: number } };
    assert.ok(metrics.holdout.assets > 0 && Number.isFinite(metrics.holdout.rmse));

    const [usage] = await owner<{ n: number; q: number }[]>`
      select count(*)::int as n, coalesce(sum(quantity), 0)::int as q from usage_ledger
      where tenant_id = ${tenant.tenantId} and meter = 'training_runs'`;
    assert.deepEqual(usage, { n: 1, q: 1 });
  });

  it("scores the test engines; the stored predictions' RMSE matches the library's own on the same data", async (t) => {
    const { scoreFleet: runId } = await gqlOk(api, g.ScoreFleetDocument, { assetTypeId: fleet.typeId }, tenant.token);
    const scoring = await waitFor("the scoring run to end", 10 * 60_000, async () => {
      const { scoringRun } = await gqlOk(api, g.ScoringRunDocument, { id: runId }, tenant.token);
      return scoringRun.status === "RUNNING" ? undefined : scoringRun;
    });
    assert.equal(scoring.status, "COMPLETED");
    assert.equal(scoring.scored, 200, "train and test engines are scored");

    // The fleet by remaining life, lowest first, page by page.
    const latest = new Map<string, { rul: number; low: number; high: number; source: string }>();
    let previous = Number.NEGATIVE_INFINITY;
    let after: string | null | undefined;
    do {
      const { fleetHealth } = await gqlOk(
        api,
        g.FleetHealthDocument,
        { assetTypeId: fleet.typeId, first: 60, ...(after ? { after } : {}) },
        tenant.token,
      );
      for (const { node } of fleetHealth.edges) {
        const rul = node.prediction.rul ?? Number.NaN;
        assert.ok(rul >= previous, "lowest remaining life first");
        previous = rul;
        latest.set(node.externalId, {
          rul,
          low: node.prediction.rulLow ?? Number.NaN,
          high: node.prediction.rulHigh ?? Number.NaN,
          source: node.prediction.source,
        });
      }
      after = fleetHealth.pageInfo.hasNextPage ? fleetHealth.pageInfo.endCursor : undefined;
    } while (after);
    assert.equal(latest.size, 200);

    const truth = parseRulList(readFileSync(join(CMAPSS_DIR, "RUL_FD001.txt"), "utf8"));
    const stored: number[] = [];
    for (let unit = 1; unit <= truth.length; unit++) {
      const p = latest.get(engineId("test", unit));
      assert.ok(p, `test engine ${unit} was scored`);
      assert.equal(p.source, runId);
      assert.ok(p.low <= p.rul && p.rul <= p.high, "the interval holds the prediction");
      stored.push(p.rul);
    }
    const { assetHealth } = await gqlOk(api, g.AssetHealthDocument, { assetId: fleet.assets.get(engineId("test", 1)) ?? "" }, tenant.token);
    assert.equal(assetHealth.rul?.rul, stored[0]);
    const platformRmse = rmse(stored, truth);

    // The library on the same files, as `npm run ml:eval` runs it.
    const trainSet = parseCmapss(readFileSync(join(CMAPSS_DIR, "train_FD001.txt"), "utf8"));
    const testSet = parseCmapss(readFileSync(join(CMAPSS_DIR, "test_FD001.txt"), "utf8"));
    const params = rulParams();
    const model = fitRulModel(trainSet, runToFailureLabels(trainSet, params.cap), {});
    const library = testSet.assets.map((a) => predictRul(model, a).rul);
    const libraryRmse = rmse(library, truth);
    t.diagnostic(`FD001 test RMSE: platform ${platformRmse.toFixed(3)}, library ${libraryRmse.toFixed(3)}`);
    assert.ok(Math.abs(platformRmse - libraryRmse) < 0.5, `platform RMSE ${platformRmse.toFixed(3)} vs library ${libraryRmse.toFixed(3)}`);

    const [usage] = await owner<{ q: number }[]>`
      select coalesce(sum(quantity), 0)::int as q from usage_ledger where tenant_id = ${tenant.tenantId} and meter = 'predictions'`;
    assert.equal(usage?.q, 200, "each stored prediction is billed once");
  });

  it("predicts one asset online with the champion, stored and billed", async () => {
    const assetId = fleet.assets.get(engineId("test", 1)) ?? "";
    const { predictRul: p } = await gqlOk(api, g.PredictRulDocument, { assetId }, tenant.token);
    assert.equal(p.source, "online");
    assert.ok((p.rul ?? -1) >= 0);
    const { predictions } = await gqlOk(api, g.PredictionsDocument, { assetId, first: 5 }, tenant.token);
    assert.equal(predictions.edges[0]?.node.id, p.id, "newest first");
    const other = await newTenant(api, "Nosy Ltd");
    const foreign = await gql(api, g.PredictRulDocument, { assetId }, other.token);
    assert.equal(foreign.errors?.[0]?.extensions?.code, "NOT_FOUND");
  });
});
