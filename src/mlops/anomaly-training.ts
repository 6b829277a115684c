import { workflowCall } from "../core/calls.js";
import { AppError } from "../core/errors.js";
import { type AnomalyModel, fitAnomalyModel, scoreAnomalies } from "../ml/anomaly.js";
import { decodeAnomalyModel, encodeAnomalyModel } from "../ml/anomaly-format.js";
import type { AssetSeries } from "../ml/series.js";
import { getVersion, loadArtifact, storeArtifact } from "../models/versions.js";
import type { FitResult, MlopsDeps, TrainingPlan } from "./activities.js";
import { profileOf } from "./drift.js";
import { featureConfigHash } from "./lineage.js";
import { readFleetSeries } from "./series.js";
import type { StepHooks } from "./train-steps.js";
import { nonRetryable } from "./train-steps.js";
import { MIN_HOLDOUT_ASSETS, MIN_TRAIN_ASSETS, splitHoldout } from "./training.js";

export const ANOMALY_MEDIA_TYPE = "application/vnd.pdm.anomaly-model+json";

/** Share of the healthy rows (each asset's first part) in alarm: the false alarms a model would raise there. */
export function falseAlarmShare(model: AnomalyModel, assets: readonly AssetSeries[]): { share: number; rows: number } {
  let alarms = 0;
  let rows = 0;
  for (const asset of assets) {
    const { alarm } = scoreAnomalies(model, asset);
    const healthy = Math.floor(asset.time.length * model.params.healthyFraction);
    for (let i = model.params.baselineRows; i < healthy; i++) {
      rows++;
      alarms += alarm[i] ?? 0;
    }
  }
  return { share: rows > 0 ? alarms / rows : 0, rows };
}

/**
 * The anomaly task of a training run: learns the healthy spread from every asset of the type (the
 * first part of each asset's life), compares the candidate fitted without the holdout and the
 * champion by their false alarms on the holdout's healthy rows, and stores the model fitted on all.
 */
export async function fitAnomalyStep(deps: MlopsDeps, input: { plan: TrainingPlan; runId: string }, hooks: StepHooks): Promise<FitResult> {
  const { plan, runId } = input;
  const tenantId = plan.request.tenantId;
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
  const started = performance.now();
  let candidate: AnomalyModel;
  let model: AnomalyModel;
  try {
    hooks.heartbeat({ stage: "fitting", share: 0 });
    candidate = fitAnomalyModel(train);
    hooks.heartbeat({ stage: "fitting", share: 0.5 });
    model = fitAnomalyModel(fleet.set);
  } catch (error) {
    return nonRetryable(error instanceof Error && error.name === "MlInputError" ? new AppError("VALIDATION", error.message) : error);
  }
  const candidateHoldout = falseAlarmShare(candidate, holdout.assets);
  const champion = plan.championVersionId
    ? await workflowCall(deps, { tenantId: tenantId, workflowId: runId }, async (ctx) => {
        const version = await getVersion(ctx, plan.championVersionId ?? "");
        return decodeAnomalyModel(Buffer.from(await loadArtifact(ctx, version.artifactSha256)).toString("utf8"));
      })
    : null;
  const championHoldout = champion ? falseAlarmShare(champion, holdout.assets) : null;
  const artifactSha256 = await workflowCall(deps, { tenantId: tenantId, workflowId: runId }, (ctx) =>
    storeArtifact(ctx, { content: Buffer.from(encodeAnomalyModel(model), "utf8"), mediaType: ANOMALY_MEDIA_TYPE }),
  );
  const rows = fleet.lineage.reduce((sum, l) => sum + l.rows, 0);
  return {
    artifactSha256,
    metrics: {
      holdout: { falseAlarmShare: candidateHoldout.share, healthyRows: candidateHoldout.rows, assets: holdout.assets.length },
      championHoldout: championHoldout ? { falseAlarmShare: championHoldout.share, healthyRows: championHoldout.rows } : null,
      threshold: model.threshold,
      trainAssets: train.assets.length,
      fitSeconds: (performance.now() - started) / 1000,
    },
    params: { ...model.params, settingKeys: plan.fleet.settingKeys, sensorKeys: plan.fleet.sensorKeys },
    lineage: {
      measurement: plan.fleet.measurement,
      assets: fleet.lineage,
      assetCount: fleet.lineage.length,
      rows,
      points: rows * (plan.fleet.settingKeys.length + plan.fleet.sensorKeys.length),
      profile: profileOf(fleet.set),
    },
    featureConfigHash: featureConfigHash(model.params),
    holdoutRmse: candidateHoldout.share,
    championHoldoutRmse: championHoldout?.share ?? null,
    metric: "holdout false-alarm share",
  };
}
