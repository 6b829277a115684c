import { Context } from "@temporalio/activity";
import type { Logger } from "pino";
import { assertTenantCanWrite } from "../billing/quotas.js";
import { workflowCall } from "../core/calls.js";
import { AppError } from "../core/errors.js";
import type { Db } from "../db/client.js";
import type { RulParamsInput } from "../ml/rul-model.js";
import { championOf } from "../models/aliases.js";
import type { ModelTask } from "../models/schema.js";
import { getVersion } from "../models/versions.js";
import type { TelemetryStore } from "../telemetry/index.js";
import { DEFAULT_DRIFT_THRESHOLD, DEFAULT_DRIFT_WINDOW_HOURS, driftReason, runDriftCheck } from "./drift-check.js";
import { type FleetPlan, planFleet } from "./fleet.js";
import { createModelCache, type ModelCache } from "./model-cache.js";
import { scoreRul } from "./predict.js";
import { scoreAnomaly } from "./predict-anomaly.js";
import { closeRun, openRun, type TrainingTrigger } from "./runs.js";
import { readFleetSeries } from "./series.js";
import { fitCandidateStep, nonRetryable, planTrainingStep, registerCandidateStep } from "./train-steps.js";

export interface MlopsDeps {
  readonly db: Db;
  readonly store: TelemetryStore;
  readonly log: Logger;
  readonly models?: ModelCache;
  /** The billing grace period (BILLING_GRACE_DAYS): training and scoring refuse a tenant whose billing is read-only. */
  readonly billingGraceDays: number;
}

export interface TrainRequest {
  readonly tenantId: string;
  readonly assetTypeId: string;
  readonly task: ModelTask;
  readonly trigger: TrainingTrigger;
  readonly reason: string;
  readonly requestedBy: string;
  readonly params?: RulParamsInput;
  /** A candidate replaces the champion only if its holdout RMSE is lower by this share (default 0.02). */
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
  readonly holdoutRmse: number;
  readonly championHoldoutRmse: number | null;
  /** What holdoutRmse measures when it is not the RUL model's RMSE (lower is better either way). */
  readonly metric?: string;
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

export function createActivities(deps: MlopsDeps) {
  const models = deps.models ?? createModelCache();

  return {
    async planTraining(input: TrainRequest & { runId: string }): Promise<TrainingPlan> {
      return planTrainingStep(deps, input);
    },

    async fitCandidate(input: { plan: TrainingPlan; runId: string }): Promise<FitResult> {
      const context = Context.current();
      return fitCandidateStep(deps, input, { heartbeat: (details) => context.heartbeat(details), signal: context.cancellationSignal });
    },

    async registerCandidate(input: { plan: TrainingPlan; runId: string; fit: FitResult }): Promise<TrainResult> {
      return registerCandidateStep(deps, input);
    },

    async checkDrift(input: DriftRequest & { checkId: string }): Promise<DriftOutcome> {
      try {
        return await workflowCall(deps, { tenantId: input.tenantId, workflowId: input.checkId }, async (ctx) => {
          const check = await runDriftCheck(ctx, deps.store, {
            id: input.checkId,
            assetTypeId: input.assetTypeId,
            threshold: input.threshold ?? DEFAULT_DRIFT_THRESHOLD,
            windowHours: input.windowHours ?? DEFAULT_DRIFT_WINDOW_HOURS,
            now: new Date(),
          });
          const reason = check.trainingRunId ? driftReason(check) : null;
          if (check.trainingRunId && reason) {
            await openRun(ctx, {
              runId: check.trainingRunId,
              assetTypeId: input.assetTypeId,
              task: "rul",
              trigger: "drift",
              reason,
              requestedBy: `workflow:${input.checkId}`,
            });
          }
          return { checkId: check.id, drifted: check.drifted, psi: check.psi, trainingRunId: check.trainingRunId, reason };
        });
      } catch (error) {
        return nonRetryable(error);
      }
    },

    async finishTrainingRun(input: { tenantId: string; runId: string; status: "failed" | "cancelled"; error: string }): Promise<void> {
      await workflowCall(deps, { tenantId: input.tenantId, workflowId: input.runId }, (ctx) =>
        closeRun(ctx, { runId: input.runId, status: input.status, error: input.error }),
      );
    },

    async planScoring(input: ScoreRequest & { runId: string }): Promise<ScorePlan> {
      try {
        return await workflowCall(deps, { tenantId: input.tenantId, workflowId: input.runId }, async (ctx) => {
          await assertTenantCanWrite(ctx.tx, input.tenantId, deps.billingGraceDays);
          const champion = await championOf(ctx, { assetTypeId: input.assetTypeId, task: "rul" });
          if (!champion) throw new AppError("CONFLICT", "This asset type has no champion model yet: train one first.");
          const fleet = await planFleet(ctx, { assetTypeId: input.assetTypeId });
          return { versionId: champion.id, assetIds: fleet.assets.map((a) => a.assetId) };
        });
      } catch (error) {
        return nonRetryable(error);
      }
    },

    async scoreAssets(input: {
      tenantId: string;
      assetTypeId: string;
      versionId: string;
      assetIds: readonly string[];
      runId: string;
      chunk: number;
    }): Promise<{ scored: number; skipped: number; alertIds: string[] }> {
      // A chunk beyond the plan's predictions per day (or of a tenant gone read-only) fails the
      // run at once: retrying cannot help before the quota resets or the invoice is paid.
      try {
        return await workflowCall(deps, { tenantId: input.tenantId, workflowId: input.runId }, async (ctx) => {
          await assertTenantCanWrite(ctx.tx, input.tenantId, deps.billingGraceDays);
          const version = await getVersion(ctx, input.versionId);
          const settingKeys = Array.isArray(version.params.settingKeys) ? version.params.settingKeys.map(String) : undefined;
          const plan = await planFleet(ctx, { assetTypeId: input.assetTypeId, assetIds: input.assetIds, settingKeys });
          const fleet = await readFleetSeries(deps.store, plan);
          const result = await scoreRul(
            ctx,
            { store: deps.store, models },
            { plan, version, fleet, source: input.runId, usageKey: `score:${input.runId}:${input.chunk}` },
          );
          // The anomaly champion, when the type has one, scores the same rows in the same transaction.
          const anomaly = await championOf(ctx, { assetTypeId: input.assetTypeId, task: "anomaly" });
          const anomalies = anomaly
            ? await scoreAnomaly(
                ctx,
                { models },
                {
                  assetTypeId: input.assetTypeId,
                  fleet,
                  version: anomaly,
                  source: input.runId,
                  usageKey: `score:${input.runId}:${input.chunk}:anomaly`,
                },
              )
            : { scored: 0, alertIds: [] };
          return { scored: result.scores.length, skipped: result.skipped.length, alertIds: [...result.alertIds, ...anomalies.alertIds] };
        });
      } catch (error) {
        return nonRetryable(error);
      }
    },
  };
}

export type MlopsActivities = ReturnType<typeof createActivities>;
