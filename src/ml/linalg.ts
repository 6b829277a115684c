import { MlInputError } from "./errors.js";

/** Lower-triangular Cholesky factor of a symmetric positive definite matrix (row-major, size × size). */
export function cholesky(a: Float64Array, size: number): Float64Array {
  const l = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * size + j] as number;
      for (let k = 0; k < j; k++) s -= (l[i * size + k] as number) * (l[j * size + k] as number);
      if (i === j) {
        if (!(s > 0)) throw new MlInputError("matrix is not positive definite; add regularisation");
        l[i * size + i] = Math.sqrt(s);
      } else {
        l[i * size + j] = s / (l[j * size + j] as number);
      }
    }
  }
  return l;
}

/** Solves L Lᵀ x = b given the Cholesky factor L. */
export function choleskySolve(l: Float64Array, b: Float64Array, size: number): Float64Array {
  const w = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * size + k] as number) * (w[k] as number);
    w[i] = s / (l[i * size + i] as number);
  }
  for (let i = size - 1; i >= 0; i--) {
    let s = w[i] as number;
    for (let k = i + 1; k < size; k++) s -= (l[k * size + i] as number) * (w[k] as number);
    w[i] = s / (l[i * size + i] as number);
  }
  return w;
}

/** Inverse of a symmetric positive definite matrix. */
export function inverseSpd(a: Float64Array, size: number): Float64Array {
  const l = cholesky(a, size);
  const inv = new Float64Array(size * size);
  const e = new Float64Array(size);
  for (let c = 0; c < size; c++) {
    e.fill(0);
    e[c] = 1;
    const col = choleskySolve(l, e, size);
    for (let r = 0; r < size; r++) inv[r * size + c] = col[r] as number;
  }
  // Exact symmetry, whatever the rounding.
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < r; c++) {
      const v = ((inv[r * size + c] as number) + (inv[c * size + r] as number)) / 2;
      inv[r * size + c] = v;
      inv[c * size + r] = v;
    }
  }
  return inv;
}
