import { Client } from "@temporalio/client";
import { newId } from "../src/core/ids.js";
import type { TrainRequest, TrainResult } from "../src/mlops/index.js";
import { TRAIN_MODEL } from "../src/mlops/index.js";
import { fitCandidateStep, planTrainingStep, registerCandidateStep } from "../src/mlops/train-steps.js";
import { startWorkflow } from "../src/temporal/starter.js";
import { type BenchFleet, loadBenchFleet } from "./cmapss.js";
import { say, withApi } from "./support.js";
import { startBenchWorkflows } from "./worker.js";

/**
 * What Temporal adds to a training run: the same FD001 training (100 run-to-failure engines read
 * from InfluxDB, holdout fit and evaluation, final fit, registration) (a) as the three steps
 * called one after the other in this process and (b) as the trainModel workflow on a worker in
 * this process. Each side trains its own tenant holding the same data, so both train a first
 * model; rounds alternate the order.
 *
 * Usage: node dist/bench/train-workflow.js [rounds, default 1]
 */
const ROUNDS = Number(process.argv[2] ?? 1);
const GOAL_OVERHEAD_SECONDS = 3;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error("rounds must be a whole number ≥ 1");

const { deps, client, close } = await startBenchWorkflows();

function request(fleet: BenchFleet): TrainRequest {
  return {
    tenantId: fleet.tenantId,
    assetTypeId: fleet.typeId,
    task: "rul",
    trigger: "manual",
    reason: "benchmark",
    requestedBy: `user:${fleet.userId}`,
  };
}

async function inProcess(fleet: BenchFleet): Promise<{ seconds: number; result: TrainResult }> {
  const runId = newId("trainingRun");
  const started = performance.now();
  const plan = await planTrainingStep(deps, { ...request(fleet), runId });
  const fit = await fitCandidateStep(deps, { plan, runId }, { heartbeat: () => {} });
  const result = await registerCandidateStep(deps, { plan, runId, fit });
  return { seconds: (performance.now() - started) / 1000, result };
}

async function asWorkflow(client: Client, fleet: BenchFleet): Promise<{ seconds: number; result: TrainResult }> {
  const started = performance.now();
  const handle = await startWorkflow(client, TRAIN_MODEL, {
    workflowId: newId("trainingRun"),
    args: [request(fleet)],
  });
  const result: TrainResult = await handle.result();
  return { seconds: (performance.now() - started) / 1000, result };
}

try {
  await withApi({}, async (api) => {
    say(`train-workflow: C-MAPSS FD001, 100 run-to-failure engines, default model parameters; ${ROUNDS} round(s); Node ${process.version}`);
    const direct: number[] = [];
    const workflow: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = await loadBenchFleet(api.url, `train-direct-${round}`);
      const b = await loadBenchFleet(api.url, `train-workflow-${round}`);
      say(`round ${round + 1}: loaded ${a.lines.toLocaleString("en-US")} cycles into each of two tenants`);
      const sides = round % 2 === 0 ? (["direct", "workflow"] as const) : (["workflow", "direct"] as const);
      for (const side of sides) {
        const run = side === "direct" ? await inProcess(a) : await asWorkflow(client, b);
        (side === "direct" ? direct : workflow).push(run.seconds);
        say(
          `  ${side === "direct" ? "in-process steps" : "Temporal workflow"}: ${run.seconds.toFixed(2)} s (version ${run.result.version}, ${run.result.decision})`,
        );
      }
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const overhead = mean(workflow) - mean(direct);
    say(
      `in-process ${mean(direct).toFixed(2)} s, workflow ${mean(workflow).toFixed(2)} s: ratio ${(mean(workflow) / mean(direct)).toFixed(3)}, overhead ${overhead.toFixed(2)} s`,
    );
    say(`goal overhead ≤ ${GOAL_OVERHEAD_SECONDS} s: ${overhead <= GOAL_OVERHEAD_SECONDS ? "met" : "MISSED"} (${overhead.toFixed(2)} s)`);
  });
} finally {
  await close();
}
