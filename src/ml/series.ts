import { MlInputError } from "./errors.js";

/**
 * One asset's multivariate series, column by column: `time` (cycles or timestamps, strictly
 * increasing), one column per operating setting and one per sensor, all of the same length.
 */
export interface AssetSeries {
  readonly id: string;
  readonly time: Float64Array;
  readonly settings: readonly Float64Array[];
  readonly sensors: readonly Float64Array[];
}

/** A fleet of assets of one type: the names give the meaning of each setting and sensor column. */
export interface SeriesSet {
  readonly settingNames: readonly string[];
  readonly sensorNames: readonly string[];
  readonly assets: readonly AssetSeries[];
}

export function seriesLength(asset: AssetSeries): number {
  return asset.time.length;
}

/** Builds an asset from rows `[time, ...settings, ...sensors]`, checking every value. */
export function assetFromRows(id: string, rows: readonly (readonly number[])[], settingCount: number, sensorCount: number): AssetSeries {
  const n = rows.length;
  const time = new Float64Array(n);
  const settings = Array.from({ length: settingCount }, () => new Float64Array(n));
  const sensors = Array.from({ length: sensorCount }, () => new Float64Array(n));
  const width = 1 + settingCount + sensorCount;
  for (let i = 0; i < n; i++) {
    const row = rows[i] ?? [];
    if (row.length !== width) {
      throw new MlInputError(`asset ${JSON.stringify(id)}: row ${i} has ${row.length} values, expected ${width} (time, settings, sensors)`);
    }
    time[i] = row[0] ?? Number.NaN;
    for (let s = 0; s < settingCount; s++) (settings[s] as Float64Array)[i] = row[1 + s] ?? Number.NaN;
    for (let s = 0; s < sensorCount; s++) (sensors[s] as Float64Array)[i] = row[1 + settingCount + s] ?? Number.NaN;
  }
  const asset = { id, time, settings, sensors };
  validateAsset(asset, settingCount, sensorCount);
  return asset;
}

function checkColumn(assetId: string, kind: string, name: string, column: Float64Array, n: number): void {
  if (column.length !== n) {
    throw new MlInputError(`asset ${JSON.stringify(assetId)}: ${kind} ${JSON.stringify(name)} has ${column.length} values, time has ${n}`);
  }
  for (let i = 0; i < n; i++) {
    const v = column[i] as number;
    if (!Number.isFinite(v)) {
      throw new MlInputError(
        `asset ${JSON.stringify(assetId)}: ${kind} ${JSON.stringify(name)} has a non-finite value (${v}) at row ${i}; ` +
          "remove or fill missing readings before using the series",
      );
    }
  }
}

/**
 * Checks shape and values: the right number of columns, equal lengths, finite numbers only
 * (NaN and ±Infinity are refused) and strictly increasing time. Throws `MlInputError`.
 */
export function validateAsset(
  asset: AssetSeries,
  settingCount: number,
  sensorCount: number,
  settingNames?: readonly string[],
  sensorNames?: readonly string[],
): void {
  const n = asset.time.length;
  if (n === 0) throw new MlInputError(`asset ${JSON.stringify(asset.id)} has no rows`);
  if (asset.settings.length !== settingCount) {
    throw new MlInputError(`asset ${JSON.stringify(asset.id)} has ${asset.settings.length} setting columns, expected ${settingCount}`);
  }
  if (asset.sensors.length !== sensorCount) {
    throw new MlInputError(`asset ${JSON.stringify(asset.id)} has ${asset.sensors.length} sensor columns, expected ${sensorCount}`);
  }
  checkColumn(asset.id, "time", "time", asset.time, n);
  for (let i = 1; i < n; i++) {
    if ((asset.time[i] as number) <= (asset.time[i - 1] as number)) {
      throw new MlInputError(
        `asset ${JSON.stringify(asset.id)}: time must increase strictly, row ${i} (${asset.time[i]}) follows ${asset.time[i - 1]}`,
      );
    }
  }
  asset.settings.forEach((c, s) => {
    checkColumn(asset.id, "setting", settingNames?.[s] ?? `#${s}`, c, n);
  });
  asset.sensors.forEach((c, s) => {
    checkColumn(asset.id, "sensor", sensorNames?.[s] ?? `#${s}`, c, n);
  });
}

export function validateSeriesSet(set: SeriesSet): void {
  if (set.assets.length === 0) throw new MlInputError("the series set has no assets");
  const ids = new Set<string>();
  for (const asset of set.assets) {
    if (ids.has(asset.id)) throw new MlInputError(`asset id ${JSON.stringify(asset.id)} appears twice`);
    ids.add(asset.id);
    validateAsset(asset, set.settingNames.length, set.sensorNames.length, set.settingNames, set.sensorNames);
  }
}

/** Rows [start, end) of an asset as views (no copy). */
export function sliceAsset(asset: AssetSeries, start: number, end: number): AssetSeries {
  const n = asset.time.length;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= n && start < end)) {
    throw new MlInputError(`cannot take rows [${start}, ${end}) of asset ${JSON.stringify(asset.id)} with ${n} rows`);
  }
  return {
    id: asset.id,
    time: asset.time.subarray(start, end),
    settings: asset.settings.map((c) => c.subarray(start, end)),
    sensors: asset.sensors.map((c) => c.subarray(start, end)),
  };
}

/** The same fleet restricted to some assets (by position), e.g. the training engines of one fold. */
export function selectAssets(set: SeriesSet, indices: readonly number[]): SeriesSet {
  return {
    settingNames: set.settingNames,
    sensorNames: set.sensorNames,
    assets: indices.map((i) => {
      const a = set.assets[i];
      if (a === undefined) throw new MlInputError(`no asset at position ${i} (the set has ${set.assets.length})`);
      return a;
    }),
  };
}
