// The capability's verbs and types for other folders. Its GraphQL face (graphql.ts: the resolver for
// the schema the API builds, and the types other resolvers use) is kept apart: the worker loads no GraphQL.
export type { MlopsActivities } from "./activities.js";
export { createActivities } from "./activities.js";
export type { MlopsDeps, MlopsServices, MlopsWorkDeps, MlopsWorkerDeps } from "./deps.js";
export type { FitHeartbeat } from "./heartbeat.js";
export type { ModelCache } from "./model-cache.js";
export { createModelCache } from "./model-cache.js";
export type {
  DriftOutcome,
  DriftRequest,
  FitResult,
  ScorePlan,
  ScoreRequest,
  ScoreResult,
  TrainingPlan,
  TrainRequest,
  TrainResult,
} from "./requests.js";
export type { DriftWatchWorkflow, ScoreFleetWorkflow, TrainModelWorkflow } from "./workflow-contracts.js";
export { DRIFT_WATCH, SCORE_FLEET, TRAIN_MODEL } from "./workflow-contracts.js";
