import { workflowCall } from "../core/calls.js";
import { AppError } from "../core/errors.js";
import { getVersion, loadArtifact, storeArtifact } from "../models/index.js";
import type { MlopsWorkerDeps } from "./deps.js";
import { profileOf } from "./drift.js";
import { FitFailure, fitInThread } from "./fit.js";
import type { AnomalyFitDone } from "./fit-thread.js";
import { featureConfigHash } from "./lineage.js";
import type { FitResult, TrainingPlan } from "./requests.js";
import { readFleetSeries } from "./series.js";
import { nonRetryable, type StepHooks } from "./step-failure.js";
import { MIN_HOLDOUT_ASSETS, MIN_TRAIN_ASSETS, splitHoldout } from "./training.js";

export const ANOMALY_MEDIA_TYPE = "application/vnd.pdm.anomaly-model+json";
const HEARTBEAT_MS = 2_000;

/**
 * The anomaly task of a training run: learns the healthy spread from every asset of the type (the
 * first part of each asset's life), compares the candidate fitted without the holdout and the
 * champion by their false alarms on the holdout's healthy rows, and stores the model fitted on all.
 * Like the RUL fit, it reads its data outside any transaction and fits in a worker thread.
 */
export async function fitAnomalyStep(
  deps: MlopsWorkerDeps,
  input: { plan: TrainingPlan; runId: string },
  hooks: StepHooks,
): Promise<FitResult> {
  const { plan, runId } = input;
  const run = { tenantId: plan.request.tenantId, workflowId: runId };
  hooks.heartbeat({ stage: "reading" });
  const fleet = await readFleetSeries(deps.store, plan.fleet);
  const { train, holdout } = splitHoldout(fleet.set);
  if (train.assets.length < MIN_TRAIN_ASSETS || holdout.assets.length < MIN_HOLDOUT_ASSETS) {
    return nonRetryable(
      new AppError(
        "VALIDATION",
        `Anomaly training needs telemetry of at least ${MIN_TRAIN_ASSETS + MIN_HOLDOUT_ASSETS} assets; ${fleet.set.assets.length} have some.`,
      ),
    );
  }
  const champion = plan.championVersionId
    ? await workflowCall(deps, run, async (ctx) => {
        const version = await getVersion(ctx, plan.championVersionId ?? "");
        return Buffer.from(await loadArtifact(ctx, version.artifactSha256)).toString("utf8");
      })
    : null;
  let share = 0;
  hooks.heartbeat({ stage: "fitting", share });
  const beat = setInterval(() => hooks.heartbeat({ stage: "fitting", share }), HEARTBEAT_MS);
  let done: AnomalyFitDone;
  try {
    done = await fitInThread(
      { task: "anomaly", train, holdout: holdout.assets, all: fleet.set, champion },
      (s) => {
        share = s;
      },
      hooks.signal,
    );
  } catch (error) {
    // Data the model cannot learn from is the caller's to fix: a validation error, as before any fit.
    return nonRetryable(error instanceof FitFailure && error.dataError ? new AppError("VALIDATION", error.message) : error);
  } finally {
    clearInterval(beat);
  }
  const artifactSha256 = await workflowCall(deps, run, (ctx) =>
    storeArtifact(ctx, { content: Buffer.from(done.artifact, "utf8"), mediaType: ANOMALY_MEDIA_TYPE }),
  );
  const rows = fleet.lineage.reduce((sum, l) => sum + l.rows, 0);
  return {
    artifactSha256,
    metrics: {
      holdout: { falseAlarmShare: done.candidateHoldout.share, healthyRows: done.candidateHoldout.rows, assets: holdout.assets.length },
      championHoldout: done.championHoldout
        ? { falseAlarmShare: done.championHoldout.share, healthyRows: done.championHoldout.rows }
        : null,
      threshold: done.threshold,
      trainAssets: train.assets.length,
      fitSeconds: done.fitSeconds,
    },
    params: { ...done.params, settingKeys: plan.fleet.settingKeys, sensorKeys: plan.fleet.sensorKeys },
    lineage: {
      measurement: plan.fleet.measurement,
      assets: fleet.lineage,
      assetCount: fleet.lineage.length,
      rows,
      points: rows * (plan.fleet.settingKeys.length + plan.fleet.sensorKeys.length),
      profile: profileOf(fleet.set),
    },
    featureConfigHash: featureConfigHash(done.params),
    holdoutLoss: done.candidateHoldout.share,
    championHoldoutLoss: done.championHoldout?.share ?? null,
  };
}
