import { createHash } from "node:crypto";
import { runToFailureLabels } from "../ml/labels.js";
import { phm08Score, rmse } from "../ml/metrics.js";
import { fitRulModel, predictRulSeries, type RulModel, type RulParamsInput, rulParams } from "../ml/rul-model.js";
import { type AssetSeries, type SeriesSet, selectAssets } from "../ml/series.js";

/** Rows of holdout assets that are scored: those at most this many cycles before failure. */
export const HOLDOUT_HORIZON = 150;
/** One asset in this many is held out for the comparison with the champion. */
export const HOLDOUT_SHARE = 5;

export interface HoldoutFigures {
  readonly rmse: number;
  readonly phm08PerRow: number;
  readonly rows: number;
  readonly assets: number;
}

/**
 * The holdout is chosen by asset id alone, so every run of the platform's code holds out the same
 * assets: a candidate and the champion are compared on data neither was trained on.
 */
export function isHoldout(assetId: string): boolean {
  return holdoutRank(assetId) % HOLDOUT_SHARE === 0;
}

function holdoutRank(assetId: string): number {
  return createHash("sha256").update(`holdout:${assetId}`).digest().readUInt32BE(0);
}

/**
 * The assets held out (`isHoldout`) and the rest. A small fleet may have fewer held-out assets
 * than the comparison needs (25 assets have none about once in 270 fleets): then those of lowest
 * rank are held out too, as long as enough remain to train on — still chosen by the ids alone.
 */
export function splitHoldout(set: SeriesSet): { train: SeriesSet; holdout: SeriesSet } {
  const train: number[] = [];
  const holdout: number[] = [];
  set.assets.forEach((a, i) => {
    (isHoldout(a.id) ? holdout : train).push(i);
  });
  if (holdout.length < MIN_HOLDOUT_ASSETS && train.length > MIN_TRAIN_ASSETS) {
    const rank = (i: number) => holdoutRank(set.assets[i]?.id ?? "");
    train.sort((x, y) => rank(x) - rank(y) || x - y);
    while (holdout.length < MIN_HOLDOUT_ASSETS && train.length > MIN_TRAIN_ASSETS) holdout.push(train.shift() ?? 0);
    train.sort((x, y) => x - y);
    holdout.sort((x, y) => x - y);
  }
  return { train: selectAssets(set, train), holdout: selectAssets(set, holdout) };
}

/** RMSE and PHM08 (per row) of a model on run-to-failure assets, rows within the horizon. */
export function evaluateOn(model: RulModel, assets: readonly AssetSeries[]): HoldoutFigures {
  const predicted: number[] = [];
  const truth: number[] = [];
  for (const asset of assets) {
    const rows = predictRulSeries(model, asset);
    const n = rows.length;
    for (let r = 0; r < n; r++) {
      const life = n - 1 - r;
      if (life > HOLDOUT_HORIZON) continue;
      predicted.push(rows[r] ?? 0);
      truth.push(life);
    }
  }
  if (predicted.length === 0) return { rmse: Number.NaN, phm08PerRow: Number.NaN, rows: 0, assets: assets.length };
  return {
    rmse: rmse(predicted, truth),
    phm08PerRow: phm08Score(predicted, truth) / predicted.length,
    rows: predicted.length,
    assets: assets.length,
  };
}

export interface TrainingOutcome {
  /** Fitted on every labelled asset: the model that is registered. */
  readonly model: RulModel;
  /** The same recipe fitted without the holdout, scored on it. */
  readonly holdout: HoldoutFigures;
  /** The champion on the same holdout, when there is one. */
  readonly championHoldout: HoldoutFigures | null;
  readonly trainAssets: number;
  readonly fitSeconds: number;
}

export const MIN_TRAIN_ASSETS = 4;
export const MIN_HOLDOUT_ASSETS = 1;

/**
 * Fits a candidate without the holdout and scores it (and the champion) there, then fits the
 * registered model on every labelled asset. `progress` gets a share of the work done (0..1).
 */
export function trainRul(
  set: SeriesSet,
  input: { params: RulParamsInput; champion: RulModel | null; trainedAt: string; dataset: string },
  progress: (share: number) => void = () => {},
): TrainingOutcome {
  const started = performance.now();
  const params = rulParams(input.params);
  const { train, holdout } = splitHoldout(set);
  if (train.assets.length < MIN_TRAIN_ASSETS || holdout.assets.length < MIN_HOLDOUT_ASSETS) {
    throw new TrainingDataError(
      `Training needs at least ${MIN_TRAIN_ASSETS + MIN_HOLDOUT_ASSETS} assets with a recorded failure and telemetry before it; ` +
        `found ${set.assets.length} (${train.assets.length} to train on, ${holdout.assets.length} held out).`,
    );
  }
  const candidate = fitRulModel(train, runToFailureLabels(train, params.cap), { ...input.params, interval: { folds: 0 } });
  progress(0.4);
  const holdoutFigures = evaluateOn(candidate, holdout.assets);
  const championHoldout = input.champion ? evaluateOn(input.champion, holdout.assets) : null;
  progress(0.5);
  const model = fitRulModel(set, runToFailureLabels(set, params.cap), input.params, { dataset: input.dataset, trainedAt: input.trainedAt });
  progress(1);
  return {
    model,
    holdout: holdoutFigures,
    championHoldout,
    trainAssets: train.assets.length,
    fitSeconds: (performance.now() - started) / 1000,
  };
}

/** The data cannot train a model (too few labelled assets): retrying will not help. */
export class TrainingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrainingDataError";
  }
}
