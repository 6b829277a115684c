export type { MlopsActivities } from "./activities.js";
export { createActivities } from "./activities.js";
export type { MlopsDeps, MlopsServices, MlopsWorkDeps, MlopsWorkerDeps } from "./deps.js";
export { MlopsResolver } from "./graphql.js";
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
