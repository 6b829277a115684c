import { checkCountLimit, checkPlanQuota, recordUsage, usageRecorded } from "../billing/index.js";
import { workflowCall } from "../core/calls.js";
import type { TenantContext } from "../core/context.js";
import { AppError } from "../core/errors.js";
import type { ModelTask } from "../models/index.js";
import {
  championOf,
  ensureModel,
  findModel,
  getVersion,
  loadArtifact,
  promoteVersion,
  registerVersion,
  storeArtifact,
} from "../models/index.js";
import { fitAnomalyStep } from "./anomaly-training.js";
import type { MlopsWorkDeps, MlopsWorkerDeps } from "./deps.js";
import { profileOf } from "./drift.js";
import { type FitDone, fitInThread } from "./fit.js";
import type { RulFitJob } from "./fit-thread.js";
import { planFleet } from "./fleet.js";
import { featureConfigHash, MODEL_MEDIA_TYPE, PLATFORM_CODE_VERSION } from "./lineage.js";
import type { FitResult, TrainingPlan, TrainRequest, TrainResult } from "./requests.js";
import { closeRun, openRun } from "./runs.js";
import { readFleetSeries, runToFailure } from "./series.js";
import { nonRetryable, type StepHooks } from "./step-failure.js";
import { MIN_HOLDOUT_ASSETS, MIN_TRAIN_ASSETS } from "./training.js";

/**
 * The steps of a training run, each one activity of the trainModel workflow; the benchmark also
 * runs them one after the other in-process, to measure what the workflow adds. Planning and
 * registering are verbs run in one transaction each; fitting reads telemetry and fits outside
 * any transaction, between two short ones (the champion's artifact, then the candidate's).
 */

export const DEFAULT_PROMOTE_MARGIN = 0.02;
const HEARTBEAT_MS = 2_000;

/** How a task's holdout loss is named in a promotion decision, and with how many decimals. */
const LOSS_NAMES: Readonly<Record<ModelTask, { readonly name: string; readonly digits: number }>> = {
  rul: { name: "holdout RMSE", digits: 2 },
  anomaly: { name: "holdout false-alarm share", digits: 4 },
};

/** Opens the run, checks the plan and the data, and plans the fleet to learn from. */
export async function planTraining(ctx: TenantContext<MlopsWorkDeps>, request: TrainRequest & { runId: string }): Promise<TrainingPlan> {
  const { runId, ...rest } = request;
  await openRun(ctx, { runId, ...rest });
  // Scheduled and drift-triggered runs start without a request: billing is checked here.
  await ctx.deps.writeGate(ctx);
  if (!(await findModel(ctx, { assetTypeId: rest.assetTypeId, task: rest.task }))) {
    await checkCountLimit(ctx, { entitlement: "maxModels" });
  }
  const fleet = await planFleet(ctx, { assetTypeId: rest.assetTypeId });
  const labelled = fleet.assets.filter((a) => a.failureAt !== null).length;
  if (rest.task === "anomaly") {
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
  const champion = await championOf(ctx, { assetTypeId: rest.assetTypeId, task: rest.task });
  return { request: rest, fleet, championVersionId: champion?.id ?? null };
}

export async function planTrainingStep(deps: MlopsWorkerDeps, input: TrainRequest & { runId: string }): Promise<TrainingPlan> {
  try {
    return await workflowCall(deps, { tenantId: input.tenantId, workflowId: input.runId }, (ctx) => planTraining(ctx, input));
  } catch (error) {
    return nonRetryable(error);
  }
}

export async function fitCandidateStep(
  deps: MlopsWorkerDeps,
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
  let done: FitDone<RulFitJob>;
  try {
    done = await fitInThread(
      {
        task: "rul",
        set: fleet.set,
        params: plan.request.params ?? {},
        champion,
        trainedAt: deps.clock.now().toISOString(),
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
    holdoutLoss: done.holdout.rmse,
    championHoldoutLoss: done.championHoldout?.rmse ?? null,
  };
}

/** A fit result as recorded by workers from before the losses had their names (holdoutRmse for both tasks). */
type RecordedFit =
  | FitResult
  | (Omit<FitResult, "holdoutLoss" | "championHoldoutLoss"> & { holdoutRmse: number; championHoldoutRmse: number | null });

function lossesOf(fit: RecordedFit): { candidate: number; champion: number | null } {
  return "holdoutLoss" in fit
    ? { candidate: fit.holdoutLoss, champion: fit.championHoldoutLoss }
    : { candidate: fit.holdoutRmse, champion: fit.championHoldoutRmse };
}

/**
 * Registers the fitted candidate as a new version of the model, bills the run, and makes it the
 * champion when its holdout loss beats the champion's by the margin (else the challenger).
 */
export async function registerCandidate(
  ctx: TenantContext<MlopsWorkDeps>,
  input: { plan: TrainingPlan; runId: string; fit: RecordedFit },
): Promise<TrainResult> {
  const { plan, runId, fit } = input;
  const margin = plan.request.promoteMargin ?? DEFAULT_PROMOTE_MARGIN;
  const loss = LOSS_NAMES[plan.request.task];
  const { candidate, champion } = lossesOf(fit);
  const usageKey = `train:${runId}`;
  // The day's training runs are checked again where the run is billed: other runs may have
  // finished since this one started. A repeated step was billed (and checked) before.
  const now = ctx.deps.clock.now();
  if (!(await usageRecorded(ctx, usageKey))) {
    await checkPlanQuota(ctx, { meter: "training_runs", quantity: 1, now: now.getTime() });
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
    at: now,
  });
  const figure = (value: number) => value.toFixed(loss.digits);
  let promoted: boolean;
  let decision: string;
  if (champion === null) {
    promoted = true;
    decision = `first model: ${loss.name} ${figure(candidate)}`;
  } else if (candidate < champion * (1 - margin)) {
    promoted = true;
    decision = `${loss.name} ${figure(candidate)} beats the champion's ${figure(champion)} by more than ${(margin * 100).toFixed(1)}%`;
  } else {
    promoted = false;
    decision = `${loss.name} ${figure(candidate)} does not beat the champion's ${figure(champion)} by ${(margin * 100).toFixed(1)}%: kept as challenger`;
  }
  if (created) await promoteVersion(ctx, { versionId: version.id, reason: decision, alias: promoted ? "champion" : "challenger" });
  await closeRun(ctx, { runId, status: "succeeded", versionId: version.id, promoted });
  return { versionId: version.id, version: version.version, promoted, decision };
}

export async function registerCandidateStep(
  deps: MlopsWorkerDeps,
  input: { plan: TrainingPlan; runId: string; fit: RecordedFit },
): Promise<TrainResult> {
  try {
    return await workflowCall(deps, { tenantId: input.plan.request.tenantId, workflowId: input.runId }, (ctx) =>
      registerCandidate(ctx, input),
    );
  } catch (error) {
    return nonRetryable(error);
  }
}
