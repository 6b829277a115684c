import { MlInputError } from "./errors.js";
import type { SeriesSet } from "./series.js";

/**
 * Remaining life at every row of a series that ends `rulAtEnd` cycles before failure (0: the last
 * row is the last cycle before failure), piece-wise linear: constant at `cap` while the asset is
 * far from failure (wear is not yet visible), then falling by one per cycle. `cap = Infinity`
 * gives the plain linear remaining life.
 */
export function piecewiseRul(length: number, cap: number, rulAtEnd = 0): Float64Array {
  if (!Number.isInteger(length) || length < 1)
    throw new MlInputError(`a series needs at least one row to be labelled, got length ${length}`);
  if (!(cap > 0)) throw new MlInputError(`the remaining-life cap must be > 0, got ${cap}`);
  if (!(Number.isFinite(rulAtEnd) && rulAtEnd >= 0))
    throw new MlInputError(`the remaining life at the last row must be a finite number ≥ 0, got ${rulAtEnd}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.min(cap, rulAtEnd + (length - 1 - i));
  return out;
}

/** Labels for a run-to-failure fleet: the last row of every asset is its last cycle. */
export function runToFailureLabels(set: SeriesSet, cap: number): Float64Array[] {
  return set.assets.map((a) => piecewiseRul(a.time.length, cap));
}
