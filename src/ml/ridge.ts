import { MlInputError } from "./errors.js";
import { cholesky, choleskySolve } from "./linalg.js";

/** Linear regression with an L2 penalty on standardised features (closed form, Cholesky). */
export interface RidgeModel {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /** Weights on the standardised features. */
  readonly weights: Float64Array;
  readonly intercept: number;
}

export function fitRidge(x: Float64Array, n: number, width: number, y: Float64Array, lambda: number): RidgeModel {
  if (!(lambda >= 0)) throw new MlInputError(`ridge lambda must be ≥ 0, got ${lambda}`);
  if (n < 1 || x.length !== n * width || y.length !== n)
    throw new MlInputError(`feature matrix ${x.length} ≠ ${n} × ${width} or ${y.length} labels ≠ ${n}`);
  const mean = new Float64Array(width);
  const scale = new Float64Array(width);
  for (let i = 0; i < n; i++) for (let f = 0; f < width; f++) mean[f] = (mean[f] as number) + (x[i * width + f] as number);
  for (let f = 0; f < width; f++) mean[f] = (mean[f] as number) / n;
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < width; f++) scale[f] = (scale[f] as number) + ((x[i * width + f] as number) - (mean[f] as number)) ** 2;
  }
  for (let f = 0; f < width; f++) {
    const sd = Math.sqrt((scale[f] as number) / n);
    scale[f] = sd > 0 ? sd : 1;
  }
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i] as number;
  yMean /= n;
  // A = ZᵀZ + λ n I, b = Zᵀ(y - ȳ), with Z the standardised features (λ per row, so it does not depend on n).
  const a = new Float64Array(width * width);
  const b = new Float64Array(width);
  const z = new Float64Array(width);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < width; f++) z[f] = ((x[i * width + f] as number) - (mean[f] as number)) / (scale[f] as number);
    const r = (y[i] as number) - yMean;
    for (let p = 0; p < width; p++) {
      const zp = z[p] as number;
      b[p] = (b[p] as number) + zp * r;
      const row = p * width;
      for (let q = 0; q <= p; q++) a[row + q] = (a[row + q] as number) + zp * (z[q] as number);
    }
  }
  for (let p = 0; p < width; p++) a[p * width + p] = (a[p * width + p] as number) + lambda * n + 1e-9 * n;
  const weights = choleskySolve(cholesky(a, width), b, width);
  return { mean, scale, weights, intercept: yMean };
}

export function predictRidge(model: RidgeModel, x: Float64Array, offset = 0): number {
  let s = model.intercept;
  const { mean, scale, weights } = model;
  for (let f = 0; f < weights.length; f++)
    s += (weights[f] as number) * (((x[offset + f] as number) - (mean[f] as number)) / (scale[f] as number));
  return s;
}
