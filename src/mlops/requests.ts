import type { RulParamsInput } from "../ml/rul-model.js";
import type { ModelTask } from "../models/index.js";
import type { FleetPlan } from "./fleet.js";
import type { TrainingTrigger } from "./runs.js";

/**
 * What the workflows pass to their activities and get back: serialisable, recorded in the
 * workflows' histories (so a field renamed here must still be read from older histories).
 */

export interface TrainRequest {
  readonly tenantId: string;
  readonly assetTypeId: string;
  readonly task: ModelTask;
  readonly trigger: TrainingTrigger;
  readonly reason: string;
  readonly requestedBy: string;
  readonly params?: RulParamsInput;
  /** A candidate replaces the champion only if its holdout loss is lower by this share (default 0.02). */
  readonly promoteMargin?: number;
}

export interface TrainingPlan {
  readonly request: TrainRequest;
  readonly fleet: FleetPlan;
  readonly championVersionId: string | null;
}

export interface FitResult {
  readonly artifactSha256: string;
  readonly metrics: Record<string, unknown>;
  readonly params: Record<string, unknown>;
  readonly lineage: Record<string, unknown>;
  readonly featureConfigHash: string;
  /**
   * The candidate's loss on the holdout, lower is better: the remaining-life RMSE of a RUL model,
   * the share of healthy rows in alarm (false alarms) of an anomaly model.
   */
  readonly holdoutLoss: number;
  /** The champion's loss on the same holdout; null without a champion. */
  readonly championHoldoutLoss: number | null;
}

export interface TrainResult {
  readonly versionId: string;
  readonly version: number;
  readonly promoted: boolean;
  readonly decision: string;
}

export interface ScoreRequest {
  readonly tenantId: string;
  readonly assetTypeId: string;
}

export interface ScorePlan {
  readonly versionId: string;
  readonly assetIds: readonly string[];
}

export interface ScoreResult {
  readonly versionId: string;
  readonly scored: number;
  readonly skipped: number;
}

export interface DriftRequest {
  readonly tenantId: string;
  readonly assetTypeId: string;
  readonly threshold?: number;
  readonly windowHours?: number;
}

export interface DriftOutcome {
  readonly checkId: string;
  readonly drifted: readonly string[];
  readonly psi: Readonly<Record<string, number>>;
  readonly trainingRunId: string | null;
  readonly reason: string | null;
}
