import { MlInputError } from "./errors.js";
import { createRng, type Rng } from "./random.js";

export interface KMeansResult {
  /** k centroids of `dims` values each, in a fixed (lexicographic) order. */
  readonly centroids: number[][];
  /** Within-cluster sum of squares. */
  readonly inertia: number;
}

function nearest(point: Float64Array, offset: number, dims: number, centroids: readonly number[][]): { index: number; dist: number } {
  let best = 0;
  let bestDist = Number.POSITIVE_INFINITY;
  for (let c = 0; c < centroids.length; c++) {
    const centroid = centroids[c] as number[];
    let d = 0;
    for (let j = 0; j < dims; j++) {
      const diff = (point[offset + j] as number) - (centroid[j] as number);
      d += diff * diff;
    }
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return { index: best, dist: bestDist };
}

function seedCentroids(points: Float64Array, n: number, dims: number, k: number, rng: Rng): number[][] {
  const row = (i: number): number[] => Array.from(points.subarray(i * dims, (i + 1) * dims));
  const centroids = [row(rng.int(n))];
  const dist = new Float64Array(n);
  while (centroids.length < k) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      dist[i] = nearest(points, i * dims, dims, centroids).dist;
      total += dist[i] as number;
    }
    if (total === 0) {
      centroids.push(row(rng.int(n)));
      continue;
    }
    let target = rng.next() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= dist[i] as number;
      if (target < 0) {
        pick = i;
        break;
      }
    }
    centroids.push(row(pick));
  }
  return centroids;
}

function lloyd(points: Float64Array, n: number, dims: number, start: number[][], maxIterations: number): KMeansResult {
  const k = start.length;
  let centroids = start.map((c) => c.slice());
  const assignment = new Int32Array(n).fill(-1);
  let inertia = 0;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = false;
    inertia = 0;
    const sums = Array.from({ length: k }, () => new Float64Array(dims));
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const { index, dist } = nearest(points, i * dims, dims, centroids);
      inertia += dist;
      if (assignment[i] !== index) {
        assignment[i] = index;
        changed = true;
      }
      counts[index] = (counts[index] as number) + 1;
      const sum = sums[index] as Float64Array;
      for (let j = 0; j < dims; j++) sum[j] = (sum[j] as number) + (points[i * dims + j] as number);
    }
    if (!changed && iteration > 0) break;
    centroids = centroids.map((old, c) => {
      const count = counts[c] as number;
      return count === 0 ? old : Array.from(sums[c] as Float64Array, (s) => s / count);
    });
  }
  return { centroids, inertia };
}

/**
 * k-means (k-means++ seeding, Lloyd iterations, best of `restarts`) on `n` points of `dims`
 * values stored row after row. Deterministic for a given seed.
 */
export function kMeans(points: Float64Array, dims: number, k: number, seed: number, restarts = 3, maxIterations = 100): KMeansResult {
  const n = Math.floor(points.length / dims);
  if (!Number.isInteger(k) || k < 1) throw new MlInputError(`the number of clusters must be a whole number ≥ 1, got ${k}`);
  if (n < k) throw new MlInputError(`cannot find ${k} clusters among ${n} points`);
  const rng = createRng(seed);
  let best: KMeansResult | undefined;
  for (let r = 0; r < restarts; r++) {
    const result = lloyd(points, n, dims, seedCentroids(points, n, dims, k, rng), maxIterations);
    if (best === undefined || result.inertia < best.inertia) best = result;
  }
  const result = best as KMeansResult;
  const centroids = result.centroids.slice().sort((a, b) => {
    for (let j = 0; j < dims; j++) if (a[j] !== b[j]) return (a[j] as number) - (b[j] as number);
    return 0;
  });
  return { centroids, inertia: result.inertia };
}

/** Index of the nearest centroid. */
export function nearestCentroid(point: Float64Array, offset: number, dims: number, centroids: readonly number[][]): number {
  return nearest(point, offset, dims, centroids).index;
}
