import { proxyActivities, workflowInfo } from "@temporalio/workflow";
import type { MlopsActivities, TrainRequest, TrainResult } from "../../src/mlops/index.js";

const quick = proxyActivities<MlopsActivities>({ startToCloseTimeout: "2 minutes" });

/**
 * trainModel as a careless change might leave it: it registers without fitting first. Replaying a
 * recorded history against it must fail; the replay test uses it to show that it would notice.
 */
export async function trainModel(request: TrainRequest): Promise<TrainResult> {
  const runId = workflowInfo().workflowId;
  const plan = await quick.planTraining({ ...request, runId });
  return quick.registerCandidate({
    plan,
    runId,
    fit: {
      artifactSha256: "",
      metrics: {},
      params: {},
      lineage: {},
      featureConfigHash: "",
      holdoutLoss: 0,
      championHoldoutLoss: null,
    },
  });
}
