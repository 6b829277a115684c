import { MlInputError } from "./errors.js";

/**
 * Features of a window of normalised sensor columns. A window is the last `window` rows up to the
 * time of prediction (fewer at the start of a series: every statistic uses the rows there are).
 */
export interface FeatureConfig {
  readonly window: number;
  /** The last value of each sensor. */
  readonly last: boolean;
  /** Trailing means over these many rows. */
  readonly meanSpans: readonly number[];
  /** Least-squares slopes (per row) over these many trailing rows. */
  readonly slopeSpans: readonly number[];
  /** Exponentially smoothed values at the end of the window, started at the window's first row. */
  readonly ewmaAlphas: readonly number[];
  /** Minimum and maximum over the window. */
  readonly extremes: boolean;
  /** Standard deviation over the window. */
  readonly spread: boolean;
  /** Drift: mean of the last `driftRows` rows minus mean of the window's first `driftRows` rows (0: none). */
  readonly driftRows: number;
  /** The time value at the end of the window (the age in cycles for C-MAPSS). */
  readonly age: boolean;
}

/** Feature spans for a window length: short trailing means/slopes plus the whole window. */
export function featuresForWindow(window: number): FeatureConfig {
  const spans = (list: number[]): number[] => [...new Set([...list.filter((s) => s < window), window])];
  return {
    window,
    last: true,
    meanSpans: spans([5, 10, 20]),
    slopeSpans: spans([10, 20]),
    ewmaAlphas: [0.1, 0.3],
    extremes: true,
    spread: true,
    driftRows: 0,
    age: true,
  };
}

export function validateFeatureConfig(config: FeatureConfig): void {
  const whole = (v: number): boolean => Number.isInteger(v) && v >= 1;
  if (!whole(config.window)) throw new MlInputError(`feature window must be a whole number ≥ 1, got ${config.window}`);
  for (const span of [...config.meanSpans, ...config.slopeSpans]) {
    if (!whole(span)) throw new MlInputError(`feature spans must be whole numbers ≥ 1, got ${span}`);
  }
  if (!(Number.isInteger(config.driftRows) && config.driftRows >= 0))
    throw new MlInputError(`driftRows must be a whole number ≥ 0, got ${config.driftRows}`);
  for (const alpha of config.ewmaAlphas) {
    if (!(alpha > 0 && alpha <= 1)) throw new MlInputError(`smoothing factors must be in (0, 1], got ${alpha}`);
  }
}

export function featureNames(config: FeatureConfig, sensorNames: readonly string[]): string[] {
  const names: string[] = [];
  for (const s of sensorNames) {
    if (config.last) names.push(`${s}.last`);
    for (const span of config.meanSpans) names.push(`${s}.mean${span}`);
    for (const span of config.slopeSpans) names.push(`${s}.slope${span}`);
    for (const alpha of config.ewmaAlphas) names.push(`${s}.ewma${alpha}`);
    if (config.extremes) names.push(`${s}.min`, `${s}.max`);
    if (config.spread) names.push(`${s}.sd`);
    if (config.driftRows > 0) names.push(`${s}.drift`);
  }
  if (config.age) names.push("age");
  return names;
}

export function featureCount(config: FeatureConfig, sensorCount: number): number {
  const perSensor =
    (config.last ? 1 : 0) +
    config.meanSpans.length +
    config.slopeSpans.length +
    config.ewmaAlphas.length +
    (config.extremes ? 2 : 0) +
    (config.spread ? 1 : 0) +
    (config.driftRows > 0 ? 1 : 0);
  return perSensor * sensorCount + (config.age ? 1 : 0);
}

/**
 * Writes the features of rows [end - window, end) of `columns` (clipped at row 0) into `out`
 * from `offset`. `age` is the time value at row end - 1.
 */
export function writeFeatures(
  columns: readonly Float64Array[],
  end: number,
  age: number,
  config: FeatureConfig,
  out: Float64Array,
  offset: number,
): number {
  const start = Math.max(0, end - config.window);
  const m = end - start;
  if (m < 1) throw new MlInputError("a window needs at least one row");
  let k = offset;
  for (const column of columns) {
    if (config.last) out[k++] = column[end - 1] as number;
    for (const span of config.meanSpans) {
      const from = Math.max(start, end - span);
      let sum = 0;
      for (let i = from; i < end; i++) sum += column[i] as number;
      out[k++] = sum / (end - from);
    }
    for (const span of config.slopeSpans) {
      const from = Math.max(start, end - span);
      const len = end - from;
      if (len < 2) {
        out[k++] = 0;
        continue;
      }
      // Least squares against x = 0..len-1: slope = Σ(x - x̄)(y - ȳ) / Σ(x - x̄)².
      const xMean = (len - 1) / 2;
      let sxy = 0;
      let sxx = 0;
      for (let i = from; i < end; i++) {
        const x = i - from - xMean;
        sxy += x * (column[i] as number);
        sxx += x * x;
      }
      out[k++] = sxy / sxx;
    }
    for (const alpha of config.ewmaAlphas) {
      let s = column[start] as number;
      for (let i = start + 1; i < end; i++) s += alpha * ((column[i] as number) - s);
      out[k++] = s;
    }
    if (config.extremes || config.spread) {
      let min = Number.POSITIVE_INFINITY;
      let max = Number.NEGATIVE_INFINITY;
      let sum = 0;
      for (let i = start; i < end; i++) {
        const v = column[i] as number;
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
      }
      if (config.extremes) {
        out[k++] = min;
        out[k++] = max;
      }
      if (config.spread) {
        const mean = sum / m;
        let ss = 0;
        for (let i = start; i < end; i++) ss += ((column[i] as number) - mean) ** 2;
        out[k++] = Math.sqrt(ss / m);
      }
    }
    if (config.driftRows > 0) {
      const d = Math.min(config.driftRows, m);
      let head = 0;
      let tail = 0;
      for (let i = 0; i < d; i++) {
        head += column[start + i] as number;
        tail += column[end - 1 - i] as number;
      }
      out[k++] = (tail - head) / d;
    }
  }
  if (config.age) out[k++] = age;
  return k - offset;
}

/** Features at every row of a series (row r: the window ending at row r), row after row. */
export function featureMatrix(columns: readonly Float64Array[], time: Float64Array, config: FeatureConfig): Float64Array {
  const n = time.length;
  const width = featureCount(config, columns.length);
  const out = new Float64Array(n * width);
  for (let r = 0; r < n; r++) writeFeatures(columns, r + 1, time[r] as number, config, out, r * width);
  return out;
}
