import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from "@temporalio/workflow";
import type { DriftWatchWorkflow, MlopsActivities } from "../src/mlops/index.js";
import { trainModel } from "./train.js";

const quick = proxyActivities<MlopsActivities>({
  startToCloseTimeout: "10 minutes",
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds", maximumAttempts: 10 },
});

/**
 * Compares recent telemetry of an asset type with its champion's training distribution; when a
 * sensor drifted, starts a training (trigger "drift") whose reason names the sensors. The check
 * is recorded either way.
 */
export const driftWatch: DriftWatchWorkflow = async (request) => {
  const outcome = await quick.checkDrift({ ...request, checkId: workflowInfo().workflowId });
  if (outcome.trainingRunId && outcome.reason) {
    await startChild(trainModel, {
      workflowId: outcome.trainingRunId,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [
        {
          tenantId: request.tenantId,
          assetTypeId: request.assetTypeId,
          task: "rul",
          trigger: "drift",
          reason: outcome.reason,
          requestedBy: `workflow:${workflowInfo().workflowId}`,
        },
      ],
    });
  }
  return outcome;
};
