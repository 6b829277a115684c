import { MlInputError } from "./errors.js";
import type { AssetSeries } from "./series.js";
import { sliceAsset } from "./series.js";

/**
 * What to do when fewer rows than the window length precede the window's end:
 * - "shorter": take the rows there are (the model's features are defined on short windows too);
 * - "pad": repeat the first row in front until the window is full (time steps back by the first step);
 * - "full": refuse, with an error naming the asset and the lengths.
 */
export type ShortWindow = "shorter" | "pad" | "full";

function checkLength(windowLength: number): void {
  if (!Number.isInteger(windowLength) || windowLength < 1)
    throw new MlInputError(`window length must be a whole number ≥ 1, got ${windowLength}`);
}

/** The window of `windowLength` rows ending just before row `end` (exclusive). */
export function windowAt(asset: AssetSeries, end: number, windowLength: number, short: ShortWindow = "shorter"): AssetSeries {
  checkLength(windowLength);
  const n = asset.time.length;
  if (!Number.isInteger(end) || end < 1 || end > n)
    throw new MlInputError(`window end ${end} is outside asset ${JSON.stringify(asset.id)} (rows 1..${n})`);
  const start = end - windowLength;
  if (start >= 0) return sliceAsset(asset, start, end);
  if (short === "full") {
    throw new MlInputError(
      `asset ${JSON.stringify(asset.id)} has ${end} rows up to this point, fewer than the window length ${windowLength}; ` +
        'use short windows ("shorter") or padding ("pad")',
    );
  }
  if (short === "shorter") return sliceAsset(asset, 0, end);
  const missing = -start;
  const step = n > 1 ? (asset.time[1] as number) - (asset.time[0] as number) : 1;
  const pad = (column: Float64Array): Float64Array => {
    const out = new Float64Array(windowLength);
    out.fill(column[0] as number, 0, missing);
    out.set(column.subarray(0, end), missing);
    return out;
  };
  const time = pad(asset.time);
  for (let i = 0; i < missing; i++) time[i] = (asset.time[0] as number) - (missing - i) * step;
  return { id: asset.id, time, settings: asset.settings.map(pad), sensors: asset.sensors.map(pad) };
}

/** Every window of an asset, ending at rows stride-apart, the last one ending at the last row. */
export function slidingWindows(asset: AssetSeries, windowLength: number, short: ShortWindow = "shorter", stride = 1): AssetSeries[] {
  checkLength(windowLength);
  if (!Number.isInteger(stride) || stride < 1) throw new MlInputError(`stride must be a whole number ≥ 1, got ${stride}`);
  const n = asset.time.length;
  const firstEnd = short === "full" ? windowLength : 1;
  if (firstEnd > n) {
    throw new MlInputError(`asset ${JSON.stringify(asset.id)} has ${n} rows, fewer than the window length ${windowLength}`);
  }
  const windows: AssetSeries[] = [];
  for (let end = n; end >= firstEnd; end -= stride) windows.push(windowAt(asset, end, windowLength, short));
  return windows.reverse();
}
