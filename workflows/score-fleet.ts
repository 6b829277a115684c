import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from "@temporalio/workflow";
import type { MlopsActivities, ScoreFleetWorkflow } from "../src/mlops/index.js";
import { deliverAlert } from "./deliver-alert.js";

const quick = proxyActivities<MlopsActivities>({
  startToCloseTimeout: "10 minutes",
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds", maximumAttempts: 10 },
});

/** Assets per scoring activity: a crashed worker repeats at most one chunk, and each chunk records once. */
export const SCORE_CHUNK = 50;

/**
 * Scores every asset of a type with the champion: remaining life with its interval, stored per
 * asset with the usage in the same transaction. Chunks run a few at a time.
 */
export const scoreFleet: ScoreFleetWorkflow = async (request) => {
  const runId = workflowInfo().workflowId;
  const plan = await quick.planScoring({ ...request, runId });
  const chunks: string[][] = [];
  for (let i = 0; i < plan.assetIds.length; i += SCORE_CHUNK) chunks.push(plan.assetIds.slice(i, i + SCORE_CHUNK));
  let scored = 0;
  let skipped = 0;
  const parallel = 2;
  for (let i = 0; i < chunks.length; i += parallel) {
    const results = await Promise.all(
      chunks.slice(i, i + parallel).map((assetIds, k) =>
        quick.scoreAssets({
          tenantId: request.tenantId,
          assetTypeId: request.assetTypeId,
          versionId: plan.versionId,
          assetIds,
          runId,
          chunk: i + k,
        }),
      ),
    );
    for (const r of results) {
      scored += r.scored;
      skipped += r.skipped;
      // New alerts go to the tenant's webhooks in workflows of their own, which outlive this one.
      // (Histories from before alerts have no alertIds.)
      for (const alertId of r.alertIds ?? []) {
        await startChild(deliverAlert, {
          workflowId: `deliver-${alertId}`,
          parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [{ tenantId: request.tenantId, alertId }],
        });
      }
    }
  }
  return { versionId: plan.versionId, scored, skipped };
};
