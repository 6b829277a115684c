import { MlInputError } from "./errors.js";
import { type FeatureConfig, featureCount, featureMatrix } from "./features.js";
import type { AssetSeries, SeriesSet } from "./series.js";

/** Turns an asset into the columns its features are computed from (normalised sensors, indices). */
export type ColumnsOf = (asset: AssetSeries) => Float64Array[];

/** Features at every row of an asset (row r: the window ending at row r), row after row. */
export function assetFeatures(columnsOf: ColumnsOf, asset: AssetSeries, config: FeatureConfig): Float64Array {
  return featureMatrix(columnsOf(asset), asset.time, config);
}

export interface TrainingRows {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
  readonly width: number;
}

/** Checks that there is one finite, non-negative label per row of every asset. */
export function validateLabels(set: SeriesSet, labels: readonly Float64Array[]): void {
  if (labels.length !== set.assets.length) throw new MlInputError(`${labels.length} label series for ${set.assets.length} assets`);
  set.assets.forEach((asset, a) => {
    const l = labels[a] as Float64Array;
    if (l.length !== asset.time.length)
      throw new MlInputError(`asset ${JSON.stringify(asset.id)}: ${l.length} labels for ${asset.time.length} rows`);
    for (let i = 0; i < l.length; i++) {
      const v = l[i] as number;
      if (!(Number.isFinite(v) && v >= 0))
        throw new MlInputError(`asset ${JSON.stringify(asset.id)}: label at row ${i} is ${v}, expected a finite number ≥ 0`);
    }
  });
}

/** One training row per series row (every `stride`-th, always including the last), with its label. */
export function trainingRows(
  set: SeriesSet,
  labels: readonly Float64Array[],
  columnsOf: ColumnsOf,
  columnCount: number,
  config: FeatureConfig,
  stride = 1,
): TrainingRows {
  const width = featureCount(config, columnCount);
  const picks: number[][] = set.assets.map((a) => {
    const out: number[] = [];
    for (let r = a.time.length - 1; r >= 0; r -= stride) out.push(r);
    return out.reverse();
  });
  const rows = picks.reduce((s, p) => s + p.length, 0);
  const x = new Float64Array(rows * width);
  const y = new Float64Array(rows);
  let k = 0;
  set.assets.forEach((asset, a) => {
    const features = assetFeatures(columnsOf, asset, config);
    const label = labels[a] as Float64Array;
    for (const r of picks[a] as number[]) {
      x.set(features.subarray(r * width, (r + 1) * width), k * width);
      y[k] = label[r] as number;
      k++;
    }
  });
  return { x, y, rows, width };
}
