import postgres from "postgres";
import { workflowCall } from "../src/core/calls.js";
import { newId } from "../src/core/ids.js";
import { decodeRulModel } from "../src/ml/model-format.js";
import { predictRul } from "../src/ml/rul-model.js";
import { planFleet } from "../src/mlops/fleet.js";
import { createModelCache, SCORE_FLEET } from "../src/mlops/index.js";
import { readFleetSeries } from "../src/mlops/series.js";
import { fitCandidateStep, planTrainingStep, registerCandidateStep } from "../src/mlops/train-steps.js";
import { championOf, loadArtifact } from "../src/models/index.js";
import { startWorkflow } from "../src/temporal/starter.js";
import { loadBenchFleet } from "./cmapss.js";
import { say, withApi } from "./support.js";
import { startBenchWorkflows } from "./worker.js";

/**
 * Fleet scoring throughput: 1,000 turbofans (the 100 C-MAPSS FD001 training engines and nine
 * copies of the 100 test engines) scored with the champion (trained first on the training
 * engines, default parameters),
 * (a) in this process: read every asset's telemetry from InfluxDB and predict, nothing stored
 * (the baseline), and (b) as the scoreFleet workflow: the same, plus a stored prediction and its
 * usage per asset, in chunks. Prints assets/s of both and their ratio, then checks the stored
 * predictions and the usage.
 *
 * Usage: node dist/bench/score.js [copies of the 100 test engines, default 9]
 */
const COPIES = Number(process.argv[2] ?? 9);
if (!Number.isInteger(COPIES) || COPIES < 1) throw new Error("copies must be a whole number ≥ 1");

const { deps, client, close } = await startBenchWorkflows();
const { db, store } = deps;
const owner = postgres(process.env.DATABASE_OWNER_URL ?? "", { max: 1, onnotice: () => {} });
try {
  await withApi({}, async (api) => {
    const fleet = await loadBenchFleet(api.url, "score", { copies: COPIES });
    say(`score: ${fleet.assets.size} turbofans loaded (${fleet.lines.toLocaleString("en-US")} cycles); Node ${process.version}`);

    const runId = newId("trainingRun");
    const request = {
      tenantId: fleet.tenantId,
      assetTypeId: fleet.typeId,
      task: "rul" as const,
      trigger: "manual" as const,
      reason: "benchmark champion",
      requestedBy: `user:${fleet.userId}`,
    };
    const plan = await planTrainingStep(deps, { ...request, runId });
    const fit = await fitCandidateStep(deps, { plan, runId }, { heartbeat: () => {} });
    const trained = await registerCandidateStep(deps, { plan, runId, fit });
    say(`champion: version ${trained.version} (${trained.decision})`);

    // (a) In this process: read and predict, nothing stored.
    const models = createModelCache();
    const started = performance.now();
    const baseline = await workflowCall({ db }, { tenantId: fleet.tenantId, workflowId: "bench" }, async (ctx) => {
      const champion = await championOf(ctx, { assetTypeId: fleet.typeId, task: "rul" });
      if (!champion) throw new Error("no champion");
      const model = await models.get(
        { tenantId: fleet.tenantId, sha256: champion.artifactSha256 },
        () => loadArtifact(ctx, champion.artifactSha256),
        decodeRulModel,
      );
      const all = await planFleet(ctx, { assetTypeId: fleet.typeId });
      const series = await readFleetSeries(store, all);
      return series.set.assets.map((a) => predictRul(model, a).rul).length;
    });
    const baselineSeconds = (performance.now() - started) / 1000;
    say(
      `in-process read + predict: ${baseline} assets in ${baselineSeconds.toFixed(2)} s = ${(baseline / baselineSeconds).toFixed(0)} assets/s`,
    );

    // (b) The workflow.
    const wfStarted = performance.now();
    const handle = await startWorkflow(client, SCORE_FLEET, {
      workflowId: newId("scoringRun"),
      args: [{ tenantId: fleet.tenantId, assetTypeId: fleet.typeId }],
    });
    const result = await handle.result();
    const wfSeconds = (performance.now() - wfStarted) / 1000;
    say(
      `scoreFleet workflow: ${result.scored} assets in ${wfSeconds.toFixed(2)} s = ${(result.scored / wfSeconds).toFixed(0)} assets/s (predictions stored and billed)`,
    );
    say(`ratio workflow/in-process throughput: ${(result.scored / wfSeconds / (baseline / baselineSeconds)).toFixed(2)}`);

    const [stored] = await owner<{ n: number }[]>`
      select count(*)::int as n from asset_predictions where tenant_id = ${fleet.tenantId} and source = ${handle.workflowId}`;
    const [usage] = await owner<{ q: number }[]>`
      select coalesce(sum(quantity), 0)::int as q from usage_ledger where tenant_id = ${fleet.tenantId} and meter = 'predictions'`;
    const ok = stored?.n === result.scored && usage?.q === result.scored && result.scored === fleet.assets.size;
    say(`check: ${stored?.n} predictions stored, ${usage?.q} billed, ${fleet.assets.size} assets: ${ok ? "equal" : "DIFFERENT"}`);
  });
} finally {
  await close();
  await owner.end();
}
