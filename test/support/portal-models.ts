import type { Page } from "playwright-core";
import { newId } from "../../src/core/ids.js";
import { TRAIN_MODEL, type TrainRequest } from "../../src/mlops/index.js";
import { driftChecks } from "../../src/mlops/schema.js";
import { startWorkflow } from "../../src/temporal/starter.js";
import type { Api, TestTenant } from "./harness.js";
import { asOwner } from "./models.js";
import { sleep, temporalClient } from "./worker.js";

/** A drift check as the drift workflow records it, against the given version. */
export async function seedDriftCheck(
  api: Api,
  tenant: TestTenant,
  input: { assetTypeId: string; versionId: string; psi: Record<string, number>; drifted: string[]; threshold: number },
): Promise<string> {
  const id = newId("driftCheck");
  await asOwner(api, tenant, (ctx) =>
    ctx.tx.insert(driftChecks).values({
      tenantId: tenant.tenantId,
      id,
      assetTypeId: input.assetTypeId,
      modelVersionId: input.versionId,
      threshold: input.threshold,
      windowHours: 24,
      psi: input.psi,
      drifted: input.drifted,
      recentValues: 480,
    }),
  );
  return id;
}

/** Starts a training with parameters that make it fit for long (to be cancelled), as the API's trainModel would. */
export async function startLongTraining(tenant: TestTenant, assetTypeId: string): Promise<string> {
  const runId = newId("trainingRun");
  const request: TrainRequest = {
    tenantId: tenant.tenantId,
    assetTypeId,
    task: "rul",
    trigger: "manual",
    reason: "a long run to cancel",
    requestedBy: `user:${tenant.ownerId}`,
    params: { ensemble: 3, gbm: { trees: 400 }, interval: { folds: 3 } },
  };
  const temporal = await temporalClient();
  try {
    await startWorkflow(temporal.client, TRAIN_MODEL, { workflowId: runId, args: [request] });
  } finally {
    await temporal.close();
  }
  return runId;
}

/**
 * Watches a run's row until it leaves RUNNING, reading its stage and percent as the page shows them
 * (every 100 ms: the page asks every second). Answers every distinct "stage percent" seen and the final status.
 */
export async function watchRun(page: Page, runId: string, timeoutMs: number): Promise<{ seen: string[]; status: string }> {
  const row = page.locator(`tr[data-run-id="${runId}"]`);
  await row.waitFor();
  const seen: string[] = [];
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = await row.evaluate((tr) => {
      const progress = tr.querySelector("[data-stage]");
      return {
        status: tr.getAttribute("data-status") ?? "",
        stage: progress?.getAttribute("data-stage") ?? "",
        percent: progress?.getAttribute("data-percent") ?? "",
      };
    });
    if (state.status !== "RUNNING") return { seen, status: state.status };
    const entry = `${state.stage} ${state.percent}`.trim();
    if (entry && seen[seen.length - 1] !== entry) seen.push(entry);
    if (Date.now() > until) throw new Error(`run ${runId} still running after ${timeoutMs} ms; seen ${seen.join(", ")}`);
    await sleep(100);
  }
}
