import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CMAPSS_FIELDS, readCmapss } from "../scripts/cmapss-load.js";
import { newId } from "../src/core/ids.js";
import type { DriftOutcome, TrainRequest } from "../src/mlops/index.js";
import { DRIFT_WATCH, TRAIN_MODEL } from "../src/mlops/index.js";
import { startWorkflow, workflowHandle } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import { CMAPSS_DIR, type CmapssFleet, engineId, loadCmapss } from "./support/cmapss.js";
import { type Api, gql, gqlOk, startApi, type TestTenant } from "./support/harness.js";
import { writeV2 } from "./support/telemetry.js";
import { type RunningWorker, startWorker, temporalClient, waitFor } from "./support/worker.js";

describe("drift watch", () => {
  let api: Api;
  let worker: RunningWorker;
  let tenant: TestTenant;
  let fleet: CmapssFleet;
  const trainRows = readCmapss(CMAPSS_DIR, "train_FD001.txt");

  /** Rows drawn across the training engines' whole lives (the training distribution), every 10 minutes. */
  function recentLines(fromMs: number, rows: number, shift: Record<string, number> = {}): string {
    const lines: string[] = [];
    for (let unit = 1; unit <= 5; unit++) {
      for (let k = 0; k < rows; k++) {
        const row = trainRows[(unit * 7919 + k * 104_729) % trainRows.length];
        if (!row) continue;
        const fields = CMAPSS_FIELDS.map((name, i) => `${name}=${Number(row.values[i]) + (shift[name] ?? 0)}`).join(",");
        lines.push(`turbofan,asset=${engineId("test", unit)} ${fields} ${Math.floor((fromMs + k * 600_000) / 1000)}`);
      }
    }
    return lines.join("\n");
  }

  async function check(windowHours: number): Promise<DriftOutcome> {
    const { checkDrift: checkId } = await gqlOk(
      api,
      g.CheckDriftDocument,
      { assetTypeId: fleet.typeId, windowHours, threshold: 0.25 },
      tenant.token,
    );
    const temporal = await temporalClient();
    try {
      const outcome: DriftOutcome = await workflowHandle(temporal.client, DRIFT_WATCH, checkId).result();
      return outcome;
    } finally {
      await temporal.close();
    }
  }

  before(async () => {
    api = await startApi();
    worker = await startWorker(api);
    tenant = await newPaidTenant(api, "Drift Ltd");
    fleet = await loadCmapss(api, tenant, { trainUnits: 30, testUnits: 5 });
    const request: TrainRequest = {
      tenantId: tenant.tenantId,
      assetTypeId: fleet.typeId,
      task: "rul",
      trigger: "manual",
      reason: "baseline",
      requestedBy: `user:${tenant.ownerId}`,
      params: { ensemble: 1, gbm: { trees: 40 }, interval: { folds: 0 } },
    };
    const temporal = await temporalClient();
    try {
      const handle = await startWorkflow(temporal.client, TRAIN_MODEL, {
        workflowId: newId("trainingRun"),
        args: [request],
      });
      await handle.result();
    } finally {
      await temporal.close();
    }
  });
  after(async () => {
    await worker?.close();
    await api?.close();
  });

  it("finds no drift in recent data drawn like the training data, and starts nothing", async () => {
    const now = Date.now();
    assert.equal((await writeV2(api, fleet.deviceToken, recentLines(now - 19 * 3_600_000, 48), { precision: "s" })).status, 204);
    const outcome = await check(20);
    assert.deepEqual(outcome.drifted, [], JSON.stringify(outcome.psi));
    assert.equal(outcome.trainingRunId, null);
    assert.ok(Object.keys(outcome.psi).length > 10, "the sensors with a training distribution were compared");
  });

  it("finds drift when one sensor shifts, and starts a training that says why", async () => {
    const now = Date.now();
    assert.equal((await writeV2(api, fleet.deviceToken, recentLines(now - 9 * 3_600_000, 48, { s4: 30 }), { precision: "s" })).status, 204);
    const outcome = await check(9);
    assert.deepEqual(outcome.drifted, ["s4"], JSON.stringify(outcome.psi));
    assert.ok(outcome.trainingRunId);
    const run = await waitFor("the drift-triggered run to end", 10 * 60_000, async () => {
      const r = (await gqlOk(api, g.TrainingRunDocument, { id: outcome.trainingRunId ?? "" }, tenant.token)).trainingRun;
      return r.status === "RUNNING" ? undefined : r;
    });
    assert.equal(run.trigger, "DRIFT");
    assert.match(run.reason, /s4 \(PSI \d+\.\d+\)/);
    assert.equal(run.status, "SUCCEEDED", run.error ?? "");
    const { driftChecks } = await gqlOk(api, g.DriftChecksDocument, { assetTypeId: fleet.typeId }, tenant.token);
    assert.deepEqual(
      driftChecks.edges.map((e) => e.node.drifted),
      [["s4"], []],
      "both checks are recorded, newest first",
    );
  });

  it("keeps retraining and drift checks on a schedule per asset type", async () => {
    const set = await gqlOk(
      api,
      g.SetModelScheduleDocument,
      { input: { assetTypeId: fleet.typeId, retrainEveryHours: 168, driftCheckEveryHours: 6, driftThreshold: 0.3 } },
      tenant.token,
    );
    assert.deepEqual(
      { ...set.setModelSchedule },
      { assetTypeId: fleet.typeId, retrainEveryHours: 168, driftCheckEveryHours: 6, driftThreshold: 0.3 },
    );
    const cleared = await gqlOk(
      api,
      g.SetModelScheduleDocument,
      { input: { assetTypeId: fleet.typeId, retrainEveryHours: null, driftCheckEveryHours: null } },
      tenant.token,
    );
    assert.equal(cleared.setModelSchedule.retrainEveryHours, null);
    assert.equal(cleared.setModelSchedule.driftCheckEveryHours, null);
    const bad = await gql(api, g.SetModelScheduleDocument, { input: { assetTypeId: fleet.typeId, retrainEveryHours: 0 } }, tenant.token);
    assert.equal(bad.errors?.[0]?.extensions?.code, "VALIDATION");
  });
});
