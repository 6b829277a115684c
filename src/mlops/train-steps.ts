import { ApplicationFailure } from "@temporalio/common";
import { assertTenantCanWrite, checkCountLimit, checkPlanQuota, recordUsage, usageRecorded } from "../billing/index.js";
import { workflowCall } from "../core/calls.js";
import { systemClock } from "../core/context.js";
import { AppError } from "../core/errors.js";
import { championOf, promoteVersion } from "../models/aliases.js";
import { ensureModel, findModel } from "../models/models.js";
import { getVersion, loadArtifact, registerVersion, storeArtifact } from "../models/versions.js";
import type { FitResult, MlopsDeps, TrainingPlan, TrainRequest, TrainResult } from "./activities.js";
import { fitAnomalyStep } from "./anomaly-training.js";
import { profileOf } from "./drift.js";
import { FitFailure, fitInThread } from "./fit.js";
import { planFleet } from "./fleet.js";
import { featureConfigHash, MODEL_MEDIA_TYPE, PLATFORM_CODE_VERSION } from "./lineage.js";
import { closeRun, openRun } from "./runs.js";
import { readFleetSeries, runToFailure } from "./series.js";
import { MIN_HOLDOUT_ASSETS, MIN_TRAIN_ASSETS } from "./training.js";

/**
 * The steps of a training run, each one activity of the trainModel workflow; the benchmark also
 * runs them one after the other in-process, to measure what the workflow adds.
 */

export const DEFAULT_PROMOTE_MARGIN = 0.02;
const HEARTBEAT_MS = 2_000;

/** Where a step reports that it is alive (Temporal heartbeats), and how it hears it should stop. */
export interface StepHooks {
  readonly heartbeat: (details: Record<string, unknown>) => void;
  readonly signal?: AbortSignal | undefined;
}

/** Business failures: retrying cannot help, the workflow fails with this message. */
export function nonRetryable(error: unknown): never {
  if (error instanceof AppError || (error instanceof FitFailure && error.dataError)) {
    throw ApplicationFailure.nonRetryable(error.message, error instanceof AppError ? error.code : "TRAINING_DATA");
  }
  throw error;
}

export async function planTrainingStep(deps: MlopsDeps, input: TrainRequest & { runId: string }): Promise<TrainingPlan> {
  const { runId, ...request } = input;
  try {
    return await workflowCall(deps, { tenantId: request.tenantId, workflowId: runId }, async (ctx) => {
      await openRun(ctx, { runId, ...request });
      // Scheduled and drift-triggered runs start without a request: billing is checked here.
      await assertTenantCanWrite({ ...ctx, deps: { billingGraceDays: deps.billingGraceDays, clock: systemClock } });
      if (!(await findModel(ctx, { assetTypeId: request.assetTypeId, task: request.task }))) {
        await checkCountLimit(ctx, { entitlement: "maxModels" });
      }
      const fleet = await planFleet(ctx, { assetTypeId: request.assetTypeId });
      const labelled = fleet.assets.filter((a) => a.failureAt !== null).length;
      if (request.task === "anomaly") {
        if (fleet.assets.length < MIN_TRAIN_ASSETS + MIN_HOLDOUT_ASSETS) {
          throw new AppError(
            "VALIDATION",
            `Anomaly training needs at least ${MIN_TRAIN_ASSETS + MIN_HOLDOUT_ASSETS} assets of the type; there are ${fleet.assets.length}.`,
          );
        }
      } else if (labelled < MIN_TRAIN_ASSETS + MIN_HOLDOUT_ASSETS) {
        throw new AppError(
          "VALIDATION",
          `Training needs at least ${MIN_TRAIN_ASSETS + MIN_HOLDOUT_ASSETS} assets with a recorded failure; ${labelled} of ${fleet.assets.length} have one. Record failures as maintenance events first.`,
        );
      }
      const champion = await championOf(ctx, { assetTypeId: request.assetTypeId, task: request.task });
      return { request, fleet, championVersionId: champion?.id ?? null };
    });
  } catch (error) {
    return nonRetryable(error);
  }
}

export async function fitCandidateStep(
  deps: MlopsDeps,
  input: { plan: TrainingPlan; runId: string },
  hooks: StepHooks,
): Promise<FitResult> {
  const { plan, runId } = input;
  if (plan.request.task === "anomaly") return fitAnomalyStep(deps, input, hooks);
  const tenantId = plan.request.tenantId;
  const failures = new Map(plan.fleet.assets.flatMap((a) => (a.failureAt ? [[a.assetId, a.failureAt] as const] : [])));
  const labelled = { ...plan.fleet, assets: plan.fleet.assets.filter((a) => a.failureAt !== null) };
  hooks.heartbeat({ stage: "reading" });
  const fleet = runToFailure(await readFleetSeries(deps.store, labelled), failures);
  const champion = plan.championVersionId
    ? await workflowCall(deps, { tenantId: tenantId, workflowId: runId }, async (ctx) => {
        const version = await getVersion(ctx, plan.championVersionId ?? "");
        return Buffer.from(await loadArtifact(ctx, version.artifactSha256)).toString("utf8");
      })
    : null;
  let share = 0;
  const beat = setInterval(() => hooks.heartbeat({ stage: "fitting", share }), HEARTBEAT_MS);
  let done: Awaited<ReturnType<typeof fitInThread>>;
  try {
    done = await fitInThread(
      {
        set: fleet.set,
        params: plan.request.params ?? {},
        champion,
        trainedAt: new Date().toISOString(),
        dataset: `${plan.fleet.measurement} of ${tenantId}`,
      },
      (s) => {
        share = s;
      },
      hooks.signal,
    );
  } catch (error) {
    return nonRetryable(error);
  } finally {
    clearInterval(beat);
  }
  const artifactSha256 = await workflowCall(deps, { tenantId: tenantId, workflowId: runId }, (ctx) =>
    storeArtifact(ctx, { content: Buffer.from(done.artifact, "utf8"), mediaType: MODEL_MEDIA_TYPE }),
  );
  const points = fleet.lineage.reduce((sum, l) => sum + l.rows * (plan.fleet.settingKeys.length + plan.fleet.sensorKeys.length), 0);
  return {
    artifactSha256,
    metrics: {
      holdout: done.holdout,
      championHoldout: done.championHoldout,
      trainAssets: done.trainAssets,
      fitSeconds: done.fitSeconds,
    },
    params: { ...(done.params as Record<string, unknown>), settingKeys: plan.fleet.settingKeys, sensorKeys: plan.fleet.sensorKeys },
    lineage: {
      measurement: plan.fleet.measurement,
      assets: fleet.lineage,
      assetCount: fleet.lineage.length,
      rows: fleet.lineage.reduce((sum, l) => sum + l.rows, 0),
      points,
      unlabelledAssets: plan.fleet.assets.length - labelled.assets.length,
      profile: profileOf(fleet.set),
    },
    featureConfigHash: featureConfigHash(done.params),
    holdoutRmse: done.holdout.rmse,
    championHoldoutRmse: done.championHoldout?.rmse ?? null,
  };
}

export async function registerCandidateStep(
  deps: MlopsDeps,
  input: { plan: TrainingPlan; runId: string; fit: FitResult },
): Promise<TrainResult> {
  const { plan, runId, fit } = input;
  const margin = plan.request.promoteMargin ?? DEFAULT_PROMOTE_MARGIN;
  const metric = fit.metric ?? "holdout RMSE";
  const precision = fit.metric ? 4 : 2;
  try {
    return await registerCandidate(deps, { plan, runId, fit, margin, metric, precision });
  } catch (error) {
    return nonRetryable(error);
  }
}

async function registerCandidate(
  deps: MlopsDeps,
  input: { plan: TrainingPlan; runId: string; fit: FitResult; margin: number; metric: string; precision: number },
): Promise<TrainResult> {
  const { plan, runId, fit, margin, metric, precision } = input;
  const usageKey = `train:${runId}`;
  return workflowCall(deps, { tenantId: plan.request.tenantId, workflowId: runId }, async (ctx) => {
    // The day's training runs are checked again where the run is billed: other runs may have
    // finished since this one started. A repeated step was billed (and checked) before.
    const now = Date.now();
    if (!(await usageRecorded(ctx, usageKey))) {
      await checkPlanQuota(ctx, { meter: "training_runs", quantity: 1, now });
    }
    const model = await ensureModel(ctx, { assetTypeId: plan.request.assetTypeId, task: plan.request.task });
    const { version, created } = await registerVersion(ctx, {
      modelId: model.id,
      runId,
      params: fit.params,
      metrics: fit.metrics,
      lineage: fit.lineage,
      featureConfigHash: fit.featureConfigHash,
      codeVersion: PLATFORM_CODE_VERSION,
      artifact: { sha256: fit.artifactSha256 },
    });
    await recordUsage(ctx, {
      meter: "training_runs",
      quantity: 1,
      idempotencyKey: usageKey,
      source: plan.request.trigger,
      at: new Date(now),
    });
    const champion = fit.championHoldoutRmse;
    let promoted: boolean;
    let decision: string;
    if (champion === null) {
      promoted = true;
      decision = `first model: ${metric} ${fit.holdoutRmse.toFixed(precision)}`;
    } else if (fit.holdoutRmse < champion * (1 - margin)) {
      promoted = true;
      decision = `${metric} ${fit.holdoutRmse.toFixed(precision)} beats the champion's ${champion.toFixed(precision)} by more than ${(margin * 100).toFixed(1)}%`;
    } else {
      promoted = false;
      decision = `${metric} ${fit.holdoutRmse.toFixed(precision)} does not beat the champion's ${champion.toFixed(precision)} by ${(margin * 100).toFixed(1)}%: kept as challenger`;
    }
    if (created) await promoteVersion(ctx, { versionId: version.id, reason: decision, alias: promoted ? "champion" : "challenger" });
    await closeRun(ctx, { runId, status: "succeeded", versionId: version.id, promoted });
    return { versionId: version.id, version: version.version, promoted, decision };
  });
}
