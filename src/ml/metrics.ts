import { MlInputError } from "./errors.js";

function pairs(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  if (predicted.length !== truth.length) throw new MlInputError(`${predicted.length} predictions for ${truth.length} true values`);
  if (predicted.length === 0) throw new MlInputError("no predictions to score");
  return predicted.length;
}

export function rmse(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  const n = pairs(predicted, truth);
  let s = 0;
  for (let i = 0; i < n; i++) s += ((predicted[i] as number) - (truth[i] as number)) ** 2;
  return Math.sqrt(s / n);
}

export function mae(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  const n = pairs(predicted, truth);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs((predicted[i] as number) - (truth[i] as number));
  return s / n;
}

/**
 * The PHM08 challenge score: with d = predicted - true, Σ e^(-d/13) - 1 for early predictions
 * (d < 0) and e^(d/10) - 1 for late ones (d ≥ 0). Late predictions cost more. Lower is better.
 */
export function phm08Score(predicted: ArrayLike<number>, truth: ArrayLike<number>): number {
  const n = pairs(predicted, truth);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (predicted[i] as number) - (truth[i] as number);
    s += d < 0 ? Math.exp(-d / 13) - 1 : Math.exp(d / 10) - 1;
  }
  return s;
}

/** The q-quantile (0..1) of values, linear between order statistics. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) throw new MlInputError("quantile of no values");
  const sorted = Float64Array.from(values).sort();
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}
