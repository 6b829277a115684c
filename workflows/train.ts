import { CancellationScope, isCancellation, proxyActivities, setHandler, workflowInfo } from "@temporalio/workflow";
import type { MlopsActivities, TrainModelWorkflow } from "../src/mlops/index.js";
import { type TrainProgress, trainProgressQuery } from "../src/mlops/workflow-queries.js";

/** The innermost cause's message: an activity's own error rather than "Activity task failed". */
function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

const quick = proxyActivities<MlopsActivities>({
  startToCloseTimeout: "2 minutes",
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds", maximumAttempts: 10 },
});

const fitting = proxyActivities<MlopsActivities>({
  startToCloseTimeout: "60 minutes",
  heartbeatTimeout: "10 seconds",
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds", maximumAttempts: 5 },
});

/**
 * Trains a model of an asset type on the tenant's telemetry and failures, evaluates it against
 * the champion on the same holdout, and registers it; it becomes champion only when better by
 * the margin. The workflow id is the run id: a retried or replayed step registers once.
 */
export const trainModel: TrainModelWorkflow = async (request) => {
  let progress: TrainProgress = { stage: "planning", percent: 0 };
  setHandler(trainProgressQuery, () => progress);
  const runId = workflowInfo().workflowId;
  try {
    const plan = await quick.planTraining({ ...request, runId });
    progress = { stage: "fitting", percent: 10 };
    const fit = await fitting.fitCandidate({ plan, runId });
    progress = { stage: "registering", percent: 90 };
    const result = await quick.registerCandidate({ plan, runId, fit });
    progress = { stage: "done", percent: 100 };
    return result;
  } catch (error) {
    const cancelled = isCancellation(error);
    progress = { stage: cancelled ? "cancelled" : "failed", percent: progress.percent };
    // The run's row says how it ended, even when the workflow was cancelled.
    await CancellationScope.nonCancellable(() =>
      quick.finishTrainingRun({
        tenantId: request.tenantId,
        runId,
        status: cancelled ? "cancelled" : "failed",
        error: rootMessage(error),
      }),
    );
    throw error;
  }
};
