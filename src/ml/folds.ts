import { MlInputError } from "./errors.js";
import { createRng, shuffleInPlace } from "./random.js";

/**
 * Assets (by position) split into `k` folds of nearly equal size after a seeded shuffle, so that
 * all rows of an asset fall in one fold: cross-validation grouped by asset.
 */
export function groupFolds(assetCount: number, k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new MlInputError(`cross-validation needs at least 2 folds, got ${k}`);
  if (assetCount < k) throw new MlInputError(`cannot split ${assetCount} assets into ${k} folds`);
  const order = shuffleInPlace(
    Array.from({ length: assetCount }, (_, i) => i),
    createRng(seed),
  );
  const folds: number[][] = Array.from({ length: k }, () => []);
  order.forEach((asset, i) => {
    (folds[i % k] as number[]).push(asset);
  });
  return folds.map((f) => f.sort((a, b) => a - b));
}

/** The positions of all assets not in `fold`. */
export function complement(assetCount: number, fold: readonly number[]): number[] {
  const held = new Set(fold);
  return Array.from({ length: assetCount }, (_, i) => i).filter((i) => !held.has(i));
}
