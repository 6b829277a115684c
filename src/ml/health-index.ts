import type { Normaliser } from "./normalise.js";
import { normaliseAsset } from "./normalise.js";
import { fitRidge } from "./ridge.js";
import type { AssetSeries, SeriesSet } from "./series.js";

/**
 * A health index: one column per row, the linear combination of the normalised sensors that
 * best predicts the (capped) remaining life. Averaging many noisy sensors into one column lets
 * the window statistics see the trend through the noise.
 */
export interface HealthIndex {
  /** Weight per kept sensor (on the per-condition z-scores). */
  readonly weights: readonly number[];
  readonly intercept: number;
}

export function fitHealthIndex(set: SeriesSet, labels: readonly Float64Array[], normaliser: Normaliser, lambda = 1e-4): HealthIndex {
  const width = normaliser.kept.length;
  const n = set.assets.reduce((s, a) => s + a.time.length, 0);
  const x = new Float64Array(n * width);
  const y = new Float64Array(n);
  let row = 0;
  set.assets.forEach((asset, a) => {
    const columns = normaliseAsset(normaliser, asset);
    const label = labels[a] as Float64Array;
    for (let i = 0; i < asset.time.length; i++, row++) {
      for (let j = 0; j < width; j++) x[row * width + j] = (columns[j] as Float64Array)[i] as number;
      y[row] = label[i] as number;
    }
  });
  const ridge = fitRidge(x, n, width, y, lambda);
  // Fold the standardisation into plain weights on the z-scores.
  const weights = Array.from(ridge.weights, (w, j) => w / (ridge.scale[j] as number));
  let intercept = ridge.intercept;
  weights.forEach((w, j) => {
    intercept -= w * (ridge.mean[j] as number);
  });
  return { weights, intercept };
}

export function healthColumn(index: HealthIndex, columns: readonly Float64Array[]): Float64Array {
  const n = columns[0]?.length ?? 0;
  const out = new Float64Array(n).fill(index.intercept);
  index.weights.forEach((w, j) => {
    const c = columns[j] as Float64Array;
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + w * (c[i] as number);
  });
  return out;
}

/** Normalised sensors, plus the health index as a last column when there is one. */
export function modelColumns(normaliser: Normaliser, index: HealthIndex | undefined, asset: AssetSeries): Float64Array[] {
  const columns = normaliseAsset(normaliser, asset);
  if (index !== undefined) columns.push(healthColumn(index, columns));
  return columns;
}
