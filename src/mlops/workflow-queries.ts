import { defineQuery } from "@temporalio/workflow";

/**
 * The queries of mlops' workflows, defined once: the workflow sets their handlers, the verbs ask
 * through the same definitions. Workflow code imports this file's values into Temporal's sandbox,
 * so it imports nothing from src/ but types (checked by the dependency rules).
 */

export type TrainStage = "planning" | "fitting" | "registering" | "done" | "failed" | "cancelled";

/** Where a training run is, as its workflow answers the progress query. */
export interface TrainProgress {
  readonly stage: TrainStage;
  readonly percent: number;
}

export const trainProgressQuery = defineQuery<TrainProgress>("progress");
