import { MlInputError } from "./errors.js";
import { kMeans, nearestCentroid } from "./kmeans.js";
import type { AssetSeries, SeriesSet } from "./series.js";

/**
 * Operating conditions: clusters of the operating settings. The settings are centred and scaled
 * (per setting) first; centroids live in that scaled space.
 */
export interface ConditionModel {
  readonly center: readonly number[];
  readonly scale: readonly number[];
  readonly centroids: readonly (readonly number[])[];
}

/** Per-condition z-scores of the sensors that carry information. */
export interface Normaliser {
  readonly conditions: ConditionModel;
  /** Positions (in the fleet's sensor list) of the kept sensors, ascending. */
  readonly kept: readonly number[];
  /** mean[condition][k] and scale[condition][k] of kept sensor k. */
  readonly mean: readonly (readonly number[])[];
  readonly scale: readonly (readonly number[])[];
}

export interface NormaliseOptions {
  /** Number of operating conditions, or "auto": the smallest k whose clusters explain all but `conditionTolerance` of the settings' variance. */
  readonly conditions: number | "auto";
  readonly maxConditions: number;
  readonly conditionTolerance: number;
  /** A sensor with fewer distinct values than this in every condition is dropped as constant. */
  readonly minDistinct: number;
  readonly seed: number;
}

export const DEFAULT_NORMALISE: NormaliseOptions = {
  conditions: "auto",
  maxConditions: 8,
  conditionTolerance: 0.001,
  minDistinct: 3,
  seed: 1,
};

function settingsMatrix(assets: readonly AssetSeries[], dims: number): Float64Array {
  const n = assets.reduce((s, a) => s + a.time.length, 0);
  const out = new Float64Array(n * dims);
  let row = 0;
  for (const a of assets) {
    for (let i = 0; i < a.time.length; i++, row++) {
      for (let j = 0; j < dims; j++) out[row * dims + j] = (a.settings[j] as Float64Array)[i] as number;
    }
  }
  return out;
}

/** Clusters the operating settings of a fleet into operating conditions. */
export function fitConditions(
  set: SeriesSet,
  options: Pick<NormaliseOptions, "conditions" | "maxConditions" | "conditionTolerance" | "seed">,
): ConditionModel {
  const dims = set.settingNames.length;
  if (dims === 0) return { center: [], scale: [], centroids: [[]] };
  const points = settingsMatrix(set.assets, dims);
  const n = points.length / dims;
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < dims; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += points[i * dims + j] as number;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += ((points[i * dims + j] as number) - mean) ** 2;
    const sd = Math.sqrt(variance / n);
    center.push(mean);
    scale.push(sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1);
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dims; j++) {
      const z = ((points[i * dims + j] as number) - (center[j] as number)) / (scale[j] as number);
      points[i * dims + j] = z;
      total += z * z;
    }
  }
  if (options.conditions !== "auto") {
    if (!Number.isInteger(options.conditions) || options.conditions < 1)
      throw new MlInputError(`conditions must be "auto" or a whole number ≥ 1, got ${options.conditions}`);
    return { center, scale, centroids: kMeans(points, dims, options.conditions, options.seed).centroids };
  }
  if (total === 0) return { center, scale, centroids: [center.map(() => 0)] };
  // The number of conditions is chosen on an evenly spaced sample (at most 4,000 rows), then the
  // chosen k is fitted on all rows.
  const step = Math.max(1, Math.ceil(n / 4000));
  const sample = new Float64Array(Math.ceil(n / step) * dims);
  let sampleTotal = 0;
  for (let i = 0, s = 0; i < n; i += step, s++) {
    for (let j = 0; j < dims; j++) {
      const v = points[i * dims + j] as number;
      sample[s * dims + j] = v;
      sampleTotal += v * v;
    }
  }
  const maxK = Math.min(options.maxConditions, sample.length / dims);
  for (let k = 2; k <= maxK; k++) {
    const result = kMeans(sample, dims, k, options.seed);
    if (result.inertia <= options.conditionTolerance * sampleTotal)
      return { center, scale, centroids: kMeans(points, dims, k, options.seed).centroids };
  }
  return { center, scale, centroids: [center.map(() => 0)] };
}

/** The operating condition of every row of an asset. */
export function conditionColumn(model: ConditionModel, asset: AssetSeries): Uint8Array {
  const n = asset.time.length;
  const out = new Uint8Array(n);
  const dims = model.center.length;
  if (model.centroids.length === 1 || dims === 0) return out;
  const point = new Float64Array(dims);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dims; j++)
      point[j] = (((asset.settings[j] as Float64Array)[i] as number) - (model.center[j] as number)) / (model.scale[j] as number);
    out[i] = nearestCentroid(point, 0, dims, model.centroids as number[][]);
  }
  return out;
}

/**
 * Sensors that are constant: fewer than `minDistinct` distinct values within every operating
 * condition (C-MAPSS FD001: s1, s5, s6, s10, s16, s18, s19).
 */
export function constantSensors(set: SeriesSet, conditions: ConditionModel, minDistinct: number): number[] {
  const k = conditions.centroids.length;
  const distinct = set.sensorNames.map(() => Array.from({ length: k }, () => new Set<number>()));
  for (const asset of set.assets) {
    const cond = conditionColumn(conditions, asset);
    asset.sensors.forEach((column, s) => {
      const perCondition = distinct[s] as Set<number>[];
      for (let i = 0; i < column.length; i++) {
        const seen = perCondition[cond[i] as number] as Set<number>;
        if (seen.size < minDistinct) seen.add(column[i] as number);
      }
    });
  }
  const out: number[] = [];
  distinct.forEach((perCondition, s) => {
    if (perCondition.every((seen) => seen.size < minDistinct)) out.push(s);
  });
  return out;
}

/** Fits conditions, drops constant sensors and learns per-condition mean and spread of the rest. */
export function fitNormaliser(set: SeriesSet, options: Partial<NormaliseOptions> = {}): Normaliser {
  const o = { ...DEFAULT_NORMALISE, ...options };
  const conditions = fitConditions(set, o);
  const dropped = new Set(constantSensors(set, conditions, o.minDistinct));
  const kept = set.sensorNames.map((_, s) => s).filter((s) => !dropped.has(s));
  if (kept.length === 0) throw new MlInputError("every sensor is constant within each operating condition; nothing to learn from");
  const k = conditions.centroids.length;
  const count = new Float64Array(k);
  const sum = Array.from({ length: k }, () => new Float64Array(kept.length));
  const sumSq = Array.from({ length: k }, () => new Float64Array(kept.length));
  const columns = set.assets.map((a) => conditionColumn(conditions, a));
  // Two passes (mean, then squared deviations) for numerical accuracy on large offsets.
  set.assets.forEach((asset, a) => {
    const cond = columns[a] as Uint8Array;
    for (let i = 0; i < cond.length; i++) count[cond[i] as number] = (count[cond[i] as number] as number) + 1;
    kept.forEach((s, j) => {
      const column = asset.sensors[s] as Float64Array;
      for (let i = 0; i < column.length; i++) {
        const c = sum[cond[i] as number] as Float64Array;
        c[j] = (c[j] as number) + (column[i] as number);
      }
    });
  });
  const mean = sum.map((row, c) => Array.from(row, (v) => ((count[c] as number) > 0 ? v / (count[c] as number) : 0)));
  set.assets.forEach((asset, a) => {
    const cond = columns[a] as Uint8Array;
    kept.forEach((s, j) => {
      const column = asset.sensors[s] as Float64Array;
      for (let i = 0; i < column.length; i++) {
        const c = cond[i] as number;
        const d = (column[i] as number) - ((mean[c] as number[])[j] as number);
        const q = sumSq[c] as Float64Array;
        q[j] = (q[j] as number) + d * d;
      }
    });
  });
  const scale = sumSq.map((row, c) =>
    Array.from(row, (v) => {
      const sd = (count[c] as number) > 1 ? Math.sqrt(v / (count[c] as number)) : 0;
      return sd > 0 ? sd : 1;
    }),
  );
  return { conditions, kept, mean, scale };
}

/** The kept sensors of an asset as per-condition z-scores, one column per kept sensor. */
export function normaliseAsset(normaliser: Normaliser, asset: AssetSeries): Float64Array[] {
  const cond = conditionColumn(normaliser.conditions, asset);
  const n = asset.time.length;
  return normaliser.kept.map((s, j) => {
    const column = asset.sensors[s];
    if (column === undefined) throw new MlInputError(`asset ${JSON.stringify(asset.id)} has no sensor column ${s}`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const c = cond[i] as number;
      out[i] = ((column[i] as number) - ((normaliser.mean[c] as number[])[j] as number)) / ((normaliser.scale[c] as number[])[j] as number);
    }
    return out;
  });
}
