import { defineQuery } from "@temporalio/workflow";

/**
 * The queries (and signals) of the platform's workflows, defined once: the workflow sets their
 * handlers, the API asks through the same definitions. Only definitions live here, so the API
 * imports this file without any workflow code.
 */

export type TrainStage = "planning" | "fitting" | "registering" | "done" | "failed" | "cancelled";

/** Where a training run is, as its workflow answers the progress query. */
export interface TrainProgress {
  readonly stage: TrainStage;
  readonly percent: number;
}

export const trainProgressQuery = defineQuery<TrainProgress>("progress");
