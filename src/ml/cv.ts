import { type BaselineParams, fitBaseline, predictBaselineSeries } from "./baseline.js";
import { MlInputError } from "./errors.js";
import { complement, groupFolds } from "./folds.js";
import { runToFailureLabels } from "./labels.js";
import { phm08Score, rmse } from "./metrics.js";
import { deriveSeed } from "./random.js";
import { fitRulModel, predictRulSeries, type RulParamsInput, rulParams } from "./rul-model.js";
import type { AssetSeries, SeriesSet } from "./series.js";
import { selectAssets } from "./series.js";

/** Predicted remaining life at every row of an asset. */
export type SeriesPredictor = (asset: AssetSeries) => Float64Array;
/** Fits a candidate on run-to-failure training assets; `seed` differs per fold. */
export type Candidate = (train: SeriesSet, seed: number) => SeriesPredictor;

export interface CvOptions {
  readonly folds: number;
  readonly seed: number;
  /**
   * Rows of held-out assets that are scored: those whose true (uncapped) remaining life is at
   * most `horizon` cycles. The truth is never capped here, so that the cap can be chosen.
   */
  readonly horizon: number;
}

export const DEFAULT_CV: CvOptions = { folds: 5, seed: 7, horizon: 150 };

export interface CvResult {
  readonly rmse: number;
  /** PHM08 score divided by the number of scored rows (comparable across fold sizes). */
  readonly phm08PerRow: number;
  readonly foldRmse: readonly number[];
  readonly rows: number;
}

/**
 * Cross-validation grouped by asset on a run-to-failure fleet: each fold's assets are held out,
 * the candidate is fitted on the others, and held-out rows within the horizon are scored
 * against the true remaining life.
 */
export function crossValidate(set: SeriesSet, candidate: Candidate, options: Partial<CvOptions> = {}): CvResult {
  const o = { ...DEFAULT_CV, ...options };
  if (!(o.horizon > 0)) throw new MlInputError(`horizon must be > 0, got ${o.horizon}`);
  const predicted: number[] = [];
  const truth: number[] = [];
  const foldRmse: number[] = [];
  for (const [f, fold] of groupFolds(set.assets.length, o.folds, o.seed).entries()) {
    const predict = candidate(selectAssets(set, complement(set.assets.length, fold)), deriveSeed(o.seed, f));
    const p: number[] = [];
    const t: number[] = [];
    for (const a of fold) {
      const asset = set.assets[a] as AssetSeries;
      const rows = predict(asset);
      const n = rows.length;
      for (let r = 0; r < n; r++) {
        const life = n - 1 - r;
        if (life > o.horizon) continue;
        p.push(rows[r] as number);
        t.push(life);
      }
    }
    if (p.length > 0) foldRmse.push(rmse(p, t));
    predicted.push(...p);
    truth.push(...t);
  }
  return { rmse: rmse(predicted, truth), phm08PerRow: phm08Score(predicted, truth) / predicted.length, foldRmse, rows: predicted.length };
}

/** The boosted-trees model as a CV candidate (no intervals: they do not change the prediction). */
export function rulCandidate(input: RulParamsInput): Candidate {
  return (train, seed) => {
    const params = rulParams({ ...input, seed, interval: { folds: 0 } });
    const model = fitRulModel(train, runToFailureLabels(train, params.cap), params);
    return (asset) => predictRulSeries(model, asset);
  };
}

/** The ridge baseline as a CV candidate. */
export function baselineCandidate(params: BaselineParams): Candidate {
  return (train, seed) => {
    const model = fitBaseline(train, runToFailureLabels(train, params.cap), { ...params, seed });
    return (asset) => predictBaselineSeries(model, asset);
  };
}
