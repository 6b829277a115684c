import { MlInputError } from "./errors.js";
import { complement, groupFolds } from "./folds.js";
import { inverseSpd } from "./linalg.js";
import { quantile } from "./metrics.js";
import { DEFAULT_NORMALISE, fitNormaliser, type NormaliseOptions, type Normaliser, normaliseAsset } from "./normalise.js";
import { deriveSeed } from "./random.js";
import { type AssetSeries, type SeriesSet, selectAssets, validateAsset, validateSeriesSet } from "./series.js";

/**
 * Anomaly scores: how far an asset's recent sensor readings have moved from its own early
 * baseline, measured against the spread that healthy assets of the type show (a Mahalanobis
 * distance). The threshold comes from a target false-alarm rate on healthy periods of assets
 * the covariance was not fitted on.
 */
export interface AnomalyParams {
  /** Share of each training asset's rows, from its start, taken as healthy (run-to-failure fleets). */
  readonly healthyFraction: number;
  /** Rows at the start of every asset that form its own baseline; no score before them. */
  readonly baselineRows: number;
  /** Scores use the trailing mean over this many rows. */
  readonly smoothing: number;
  /** Shrinks the healthy covariance toward its diagonal (0..1): steadier with few healthy rows. */
  readonly shrinkage: number;
  /** Share of healthy rows allowed to raise an alarm: sets the threshold. */
  readonly targetFalseAlarmRate: number;
  /** An alarm needs this many consecutive rows above the threshold. */
  readonly persistence: number;
  /** Folds (grouped by asset) for the out-of-fold healthy scores that set the threshold. */
  readonly thresholdFolds: number;
  readonly normalise: Omit<NormaliseOptions, "seed">;
  readonly seed: number;
}

/** `smoothing` and `persistence` chosen by cross-validation on FD001 (`ml:eval --cv`). */
export const DEFAULT_ANOMALY: AnomalyParams = {
  healthyFraction: 0.3,
  baselineRows: 20,
  smoothing: 10,
  shrinkage: 0.1,
  targetFalseAlarmRate: 0.01,
  persistence: 5,
  thresholdFolds: 5,
  normalise: {
    conditions: DEFAULT_NORMALISE.conditions,
    maxConditions: DEFAULT_NORMALISE.maxConditions,
    conditionTolerance: DEFAULT_NORMALISE.conditionTolerance,
    minDistinct: DEFAULT_NORMALISE.minDistinct,
  },
  seed: 1,
};

export interface AnomalyModel {
  readonly settingNames: readonly string[];
  readonly sensorNames: readonly string[];
  readonly params: AnomalyParams;
  readonly normaliser: Normaliser;
  /** Inverse covariance of healthy deviations (kept × kept, row-major). */
  readonly precision: readonly number[];
  readonly threshold: number;
}

export interface AnomalyScores {
  /** Squared Mahalanobis distance per row; 0 during the baseline rows. */
  readonly score: Float64Array;
  /** 1 where an alarm stands (persistence rows above the threshold). */
  readonly alarm: Uint8Array;
  readonly threshold: number;
  /** First row with an alarm, or -1. */
  readonly firstAlarm: number;
}

export interface Contribution {
  readonly sensor: string;
  /** This sensor's additive part of the score (can be negative). */
  readonly contribution: number;
  /** contribution / score. */
  readonly share: number;
}

function anomalyParams(input: Partial<AnomalyParams>): AnomalyParams {
  const p = { ...DEFAULT_ANOMALY, ...input, normalise: { ...DEFAULT_ANOMALY.normalise, ...input.normalise } };
  const whole = (name: string, v: number, min: number): void => {
    if (!Number.isInteger(v) || v < min) throw new MlInputError(`anomaly ${name} must be a whole number ≥ ${min}, got ${v}`);
  };
  whole("baselineRows", p.baselineRows, 1);
  whole("smoothing", p.smoothing, 1);
  whole("persistence", p.persistence, 1);
  if (p.thresholdFolds !== 0) whole("thresholdFolds", p.thresholdFolds, 2);
  if (!(p.healthyFraction > 0 && p.healthyFraction <= 1))
    throw new MlInputError(`healthyFraction must be in (0, 1], got ${p.healthyFraction}`);
  if (!(p.shrinkage >= 0 && p.shrinkage <= 1)) throw new MlInputError(`shrinkage must be in [0, 1], got ${p.shrinkage}`);
  if (!(p.targetFalseAlarmRate > 0 && p.targetFalseAlarmRate < 1))
    throw new MlInputError(`targetFalseAlarmRate must be in (0, 1), got ${p.targetFalseAlarmRate}`);
  return p;
}

/** Smoothed deviations from the asset's baseline, one column per kept sensor (zero before the baseline ends). */
function deviations(normaliser: Normaliser, params: AnomalyParams, asset: AssetSeries): Float64Array[] {
  const columns = normaliseAsset(normaliser, asset);
  const n = asset.time.length;
  return columns.map((c) => {
    const out = new Float64Array(n);
    let base = 0;
    const b = Math.min(params.baselineRows, n);
    for (let i = 0; i < b; i++) base += c[i] as number;
    base /= b;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += c[i] as number;
      if (i >= params.smoothing) sum -= c[i - params.smoothing] as number;
      if (i >= params.baselineRows) out[i] = sum / Math.min(params.smoothing, i + 1) - base;
    }
    return out;
  });
}

function healthyEnd(params: AnomalyParams, n: number): number {
  return Math.floor(params.healthyFraction * n);
}

function fitPrecision(normaliser: Normaliser, params: AnomalyParams, set: SeriesSet): number[] {
  const d = normaliser.kept.length;
  const cov = new Float64Array(d * d);
  let count = 0;
  for (const asset of set.assets) {
    const dev = deviations(normaliser, params, asset);
    for (let i = params.baselineRows; i < healthyEnd(params, asset.time.length); i++) {
      count++;
      for (let p = 0; p < d; p++) {
        const vp = (dev[p] as Float64Array)[i] as number;
        for (let q = 0; q <= p; q++) cov[p * d + q] = (cov[p * d + q] as number) + vp * ((dev[q] as Float64Array)[i] as number);
      }
    }
  }
  if (count < d + 1) {
    throw new MlInputError(
      `only ${count} healthy rows after the baseline for ${d} sensors; use longer series, a larger healthyFraction or fewer baselineRows`,
    );
  }
  // Deviations from the baseline have mean zero when healthy: the second moment is the covariance.
  for (let p = 0; p < d; p++) {
    for (let q = 0; q <= p; q++) {
      const v = ((cov[p * d + q] as number) / count) * (p === q ? 1 : 1 - params.shrinkage);
      cov[p * d + q] = v;
      cov[q * d + p] = v;
    }
    cov[p * d + p] = (cov[p * d + p] as number) + 1e-9;
  }
  return Array.from(inverseSpd(cov, d));
}

function scoreRows(normaliser: Normaliser, precision: readonly number[], params: AnomalyParams, asset: AssetSeries): Float64Array {
  const dev = deviations(normaliser, params, asset);
  const d = dev.length;
  const n = asset.time.length;
  const score = new Float64Array(n);
  const z = new Float64Array(d);
  for (let i = params.baselineRows; i < n; i++) {
    for (let p = 0; p < d; p++) z[p] = (dev[p] as Float64Array)[i] as number;
    let s = 0;
    for (let p = 0; p < d; p++) {
      let row = 0;
      for (let q = 0; q < d; q++) row += (precision[p * d + q] as number) * (z[q] as number);
      s += (z[p] as number) * row;
    }
    score[i] = s;
  }
  return score;
}

/** The minimum of each run of `persistence` rows ending at each row: above the threshold iff an alarm stands. */
function runMinimum(score: Float64Array, persistence: number, from: number): Float64Array {
  const out = new Float64Array(score.length).fill(Number.NEGATIVE_INFINITY);
  for (let i = from + persistence - 1; i < score.length; i++) {
    let m = Number.POSITIVE_INFINITY;
    for (let k = i - persistence + 1; k <= i; k++) m = Math.min(m, score[k] as number);
    out[i] = m;
  }
  return out;
}

/**
 * Learns the healthy spread of a fleet from the first `healthyFraction` of each asset's rows and
 * sets the threshold from out-of-fold scores of those healthy rows.
 */
export function fitAnomalyModel(set: SeriesSet, input: Partial<AnomalyParams> = {}): AnomalyModel {
  validateSeriesSet(set);
  const params = anomalyParams(input);
  const normaliser = fitNormaliser(set, { ...params.normalise, seed: params.seed });
  const precision = fitPrecision(normaliser, params, set);
  const healthy: number[] = [];
  const collect = (norm: Normaliser, prec: readonly number[], assets: readonly AssetSeries[]): void => {
    for (const asset of assets) {
      const runs = runMinimum(scoreRows(norm, prec, params, asset), params.persistence, params.baselineRows);
      for (let i = params.baselineRows + params.persistence - 1; i < healthyEnd(params, asset.time.length); i++)
        healthy.push(runs[i] as number);
    }
  };
  if (params.thresholdFolds >= 2 && set.assets.length >= params.thresholdFolds) {
    for (const fold of groupFolds(set.assets.length, params.thresholdFolds, deriveSeed(params.seed, 1))) {
      const train = selectAssets(set, complement(set.assets.length, fold));
      const norm = fitNormaliser(train, { ...params.normalise, seed: params.seed });
      collect(norm, fitPrecision(norm, params, train), selectAssets(set, fold).assets);
    }
  } else {
    collect(normaliser, precision, set.assets);
  }
  if (healthy.length === 0) throw new MlInputError("no healthy rows to set the threshold from");
  return {
    settingNames: set.settingNames,
    sensorNames: set.sensorNames,
    params,
    normaliser,
    precision,
    threshold: quantile(healthy, 1 - params.targetFalseAlarmRate),
  };
}

/** Scores every row of an asset's series (from its start: the first rows are its baseline). */
export function scoreAnomalies(model: AnomalyModel, asset: AssetSeries): AnomalyScores {
  validateAsset(asset, model.settingNames.length, model.sensorNames.length, model.settingNames, model.sensorNames);
  const score = scoreRows(model.normaliser, model.precision, model.params, asset);
  const runs = runMinimum(score, model.params.persistence, model.params.baselineRows);
  const alarm = new Uint8Array(score.length);
  let firstAlarm = -1;
  for (let i = 0; i < score.length; i++) {
    if ((runs[i] as number) > model.threshold) {
      alarm[i] = 1;
      if (firstAlarm < 0) firstAlarm = i;
    }
  }
  return { score, alarm, threshold: model.threshold, firstAlarm };
}

/** Which sensors make up the score at `row`, largest part first. */
export function explainAnomaly(model: AnomalyModel, asset: AssetSeries, row: number): Contribution[] {
  validateAsset(asset, model.settingNames.length, model.sensorNames.length, model.settingNames, model.sensorNames);
  if (!Number.isInteger(row) || row < 0 || row >= asset.time.length)
    throw new MlInputError(`row ${row} is outside asset ${JSON.stringify(asset.id)}`);
  const dev = deviations(model.normaliser, model.params, asset);
  const d = dev.length;
  const z = dev.map((c) => c[row] as number);
  const parts = z.map((zp, p) => {
    let r = 0;
    for (let q = 0; q < d; q++) r += (model.precision[p * d + q] as number) * (z[q] as number);
    return zp * r;
  });
  const total = parts.reduce((s, v) => s + v, 0);
  return parts
    .map((contribution, p) => ({
      sensor: model.sensorNames[model.normaliser.kept[p] as number] ?? `#${p}`,
      contribution,
      share: total > 0 ? contribution / total : 0,
    }))
    .sort((a, b) => b.contribution - a.contribution);
}
