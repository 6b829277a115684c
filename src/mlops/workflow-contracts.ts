import { workflowType } from "../temporal/workflow-type.js";
import type { DriftOutcome, DriftRequest, ScoreRequest, ScoreResult, TrainRequest, TrainResult } from "./requests.js";

/**
 * mlops' workflows as clients start them: each workflow's function type, which the workflow code
 * (workflows/) implements, and its registered name typed by it. The worker checks that it registers
 * each name with a workflow of that type (src/worker/workflow-types.ts).
 */

/** Trains, evaluates and registers a model of an asset type; the workflow id is the run id. */
export type TrainModelWorkflow = (request: TrainRequest) => Promise<TrainResult>;
/** Scores every asset of a type with the champion; the workflow id is the scoring run's id. */
export type ScoreFleetWorkflow = (request: ScoreRequest) => Promise<ScoreResult>;
/** Checks an asset type's recent telemetry for drift and starts a training when it drifted. */
export type DriftWatchWorkflow = (request: DriftRequest) => Promise<DriftOutcome>;

export const TRAIN_MODEL = workflowType<TrainModelWorkflow, "trainModel">("trainModel");
export const SCORE_FLEET = workflowType<ScoreFleetWorkflow, "scoreFleet">("scoreFleet");
export const DRIFT_WATCH = workflowType<DriftWatchWorkflow, "driftWatch">("driftWatch");
