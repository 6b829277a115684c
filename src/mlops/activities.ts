import { Context } from "@temporalio/activity";
import { workflowCall } from "../core/calls.js";
import type { TenantContext } from "../core/context.js";
import { AppError } from "../core/errors.js";
import { championOf, getVersion, type ModelVersion } from "../models/index.js";
import type { MlopsWorkDeps, MlopsWorkerDeps } from "./deps.js";
import {
  DEFAULT_DRIFT_THRESHOLD,
  DEFAULT_DRIFT_WINDOW_HOURS,
  driftReason,
  planDriftCheck,
  readRecentFleet,
  recordDriftCheck,
} from "./drift-check.js";
import { type FleetPlan, planFleet } from "./fleet.js";
import { scoreRul } from "./predict.js";
import { scoreAnomaly } from "./predict-anomaly.js";
import type {
  DriftOutcome,
  DriftRequest,
  FitResult,
  ScorePlan,
  ScoreRequest,
  TrainingPlan,
  TrainRequest,
  TrainResult,
} from "./requests.js";
import { closeRun, openRun } from "./runs.js";
import { type FleetSeries, readFleetSeries } from "./series.js";
import { nonRetryable } from "./step-failure.js";
import { fitCandidateStep, planTrainingStep, registerCandidateStep } from "./train-steps.js";

interface ScoreChunk {
  readonly tenantId: string;
  readonly assetTypeId: string;
  readonly versionId: string;
  readonly assetIds: readonly string[];
  readonly runId: string;
  readonly chunk: number;
}

/** The rows of a chunk, with both champions: read in Postgres before the telemetry is. */
async function planChunk(
  ctx: TenantContext,
  input: ScoreChunk,
): Promise<{ version: ModelVersion; plan: FleetPlan; anomaly: ModelVersion | undefined }> {
  const version = await getVersion(ctx, input.versionId);
  const settingKeys = Array.isArray(version.params.settingKeys) ? version.params.settingKeys.map(String) : undefined;
  const plan = await planFleet(ctx, { assetTypeId: input.assetTypeId, assetIds: input.assetIds, settingKeys });
  const anomaly = await championOf(ctx, { assetTypeId: input.assetTypeId, task: "anomaly" });
  return { version, plan, anomaly };
}

/**
 * Scores a chunk's rows with the RUL champion and, when the type has one, the anomaly champion:
 * stored and billed in one transaction, after the billing status check.
 */
async function scoreChunk(
  ctx: TenantContext<MlopsWorkDeps>,
  input: ScoreChunk & { version: ModelVersion; plan: FleetPlan; anomaly: ModelVersion | undefined; fleet: FleetSeries },
): Promise<{ scored: number; skipped: number; alertIds: string[] }> {
  await ctx.deps.writeGate(ctx);
  const { plan, version, fleet, anomaly } = input;
  const result = await scoreRul(ctx, { plan, version, fleet, source: input.runId, usageKey: `score:${input.runId}:${input.chunk}` });
  const anomalies = anomaly
    ? await scoreAnomaly(ctx, {
        assetTypeId: input.assetTypeId,
        fleet,
        version: anomaly,
        source: input.runId,
        usageKey: `score:${input.runId}:${input.chunk}:anomaly`,
      })
    : { scored: 0, alertIds: [] };
  return { scored: result.scores.length, skipped: result.skipped.length, alertIds: [...result.alertIds, ...anomalies.alertIds] };
}

export function createActivities(deps: MlopsWorkerDeps) {
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

    /** Postgres (the champion's distribution), then InfluxDB (recent telemetry), then the check recorded in a second transaction. */
    async checkDrift(input: DriftRequest & { checkId: string }): Promise<DriftOutcome> {
      const run = { tenantId: input.tenantId, workflowId: input.checkId };
      const threshold = input.threshold ?? DEFAULT_DRIFT_THRESHOLD;
      const windowHours = input.windowHours ?? DEFAULT_DRIFT_WINDOW_HOURS;
      try {
        const planned = await workflowCall(deps, run, (ctx) => planDriftCheck(ctx, { id: input.checkId, assetTypeId: input.assetTypeId }));
        const read =
          "done" in planned
            ? planned
            : { plan: planned.plan, recent: await readRecentFleet(deps.store, planned.plan, { windowHours, now: deps.clock.now() }) };
        return await workflowCall(deps, run, async (ctx) => {
          const check =
            "done" in read
              ? read.done
              : await recordDriftCheck(ctx, { id: input.checkId, assetTypeId: input.assetTypeId, threshold, windowHours, ...read });
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
          await ctx.deps.writeGate(ctx);
          const champion = await championOf(ctx, { assetTypeId: input.assetTypeId, task: "rul" });
          if (!champion) throw new AppError("CONFLICT", "This asset type has no champion model yet: train one first.");
          const fleet = await planFleet(ctx, { assetTypeId: input.assetTypeId });
          return { versionId: champion.id, assetIds: fleet.assets.map((a) => a.assetId) };
        });
      } catch (error) {
        return nonRetryable(error);
      }
    },

    /**
     * Postgres (the version and the rows to score), then InfluxDB (their telemetry), then the
     * scores stored and billed in a second transaction. A chunk beyond the plan's predictions per
     * day (or of a tenant gone read-only) fails the run at once: retrying cannot help before the
     * quota resets or the invoice is paid.
     */
    async scoreAssets(input: ScoreChunk): Promise<{ scored: number; skipped: number; alertIds: string[] }> {
      const run = { tenantId: input.tenantId, workflowId: input.runId };
      try {
        const planned = await workflowCall(deps, run, (ctx) => planChunk(ctx, input));
        const fleet = await readFleetSeries(deps.store, planned.plan);
        return await workflowCall(deps, run, (ctx) => scoreChunk(ctx, { ...input, ...planned, fleet }));
      } catch (error) {
        return nonRetryable(error);
      }
    },
  };
}

export type MlopsActivities = ReturnType<typeof createActivities>;
