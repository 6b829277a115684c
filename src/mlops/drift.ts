import type { SeriesSet } from "../ml/series.js";

/** A sensor's training distribution: bin edges (deciles) and the share of values in each bin. */
export interface SensorProfile {
  /** Ascending inner edges; bin k holds values in (edges[k-1], edges[k]], the last bin the rest. */
  readonly edges: readonly number[];
  readonly shares: readonly number[];
}

export type FleetProfile = Readonly<Record<string, SensorProfile>>;

/** Empty bins would make PSI infinite: their share counts as this much. */
const EPSILON = 1e-4;

/** Deciles of every sensor over the whole fleet; sensors with one value only are left out. */
export function profileOf(set: SeriesSet, bins = 10): FleetProfile {
  const out: Record<string, SensorProfile> = {};
  set.sensorNames.forEach((name, s) => {
    const values: number[] = [];
    for (const asset of set.assets) for (const v of asset.sensors[s] ?? []) values.push(v);
    if (values.length === 0) return;
    values.sort((a, b) => a - b);
    const edges: number[] = [];
    for (let k = 1; k < bins; k++) {
      const edge = values[Math.min(values.length - 1, Math.floor((k * values.length) / bins))] ?? 0;
      if (edges.length === 0 || edge > (edges[edges.length - 1] ?? Number.NEGATIVE_INFINITY)) edges.push(edge);
    }
    if (edges.length === 0 || values[0] === values[values.length - 1]) return;
    out[name] = { edges, shares: shares(edges, values) };
  });
  return out;
}

function binOf(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v <= (edges[mid] ?? 0)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function shares(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = binOf(edges, values[i] ?? 0);
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return counts.map((c) => c / Math.max(1, values.length));
}

/** Population stability index of recent values against a sensor's training profile. */
export function psi(profile: SensorProfile, recent: ArrayLike<number>): number {
  const actual = shares(profile.edges, recent);
  let sum = 0;
  profile.shares.forEach((expectedShare, k) => {
    const e = Math.max(EPSILON, expectedShare);
    const a = Math.max(EPSILON, actual[k] ?? 0);
    sum += (a - e) * Math.log(a / e);
  });
  return sum;
}

export interface DriftReport {
  /** PSI per profiled sensor, for those with recent values. */
  readonly psi: Readonly<Record<string, number>>;
  /** Sensors above the threshold, worst first. */
  readonly drifted: readonly string[];
  readonly recentValues: number;
}

/** Compares the recent values of each profiled sensor with its training distribution. */
export function compareWithProfile(profile: FleetProfile, recent: SeriesSet, threshold: number): DriftReport {
  const out: Record<string, number> = {};
  let recentValues = 0;
  recent.sensorNames.forEach((name, s) => {
    const p = profile[name];
    if (!p) return;
    const values: number[] = [];
    for (const asset of recent.assets) for (const v of asset.sensors[s] ?? []) values.push(v);
    if (values.length === 0) return;
    recentValues += values.length;
    out[name] = psi(p, values);
  });
  const drifted = Object.entries(out)
    .filter(([, v]) => v > threshold)
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => k);
  return { psi: out, drifted, recentValues };
}
