import type { AssetSeries, SeriesSet } from "../ml/series.js";
import type { TelemetryStore } from "../telemetry/index.js";
import type { FleetPlan } from "./fleet.js";

/** Where an asset's rows came from: part of a model version's lineage. */
export interface AssetLineage {
  readonly assetId: string;
  readonly externalId: string;
  readonly rows: number;
  readonly from: string | null;
  readonly to: string | null;
  /** Rows dropped because a field had no value yet (before the first reading of every field). */
  readonly incompleteRows: number;
}

export interface FleetSeries {
  readonly set: SeriesSet;
  /** Per asset of `set`, the time (ms since the epoch) of each row. */
  readonly times: readonly Float64Array[];
  readonly lineage: readonly AssetLineage[];
}

const CHUNK_ROWS = 10_000;

interface Rows {
  times: number[];
  columns: (number | null)[][];
}

/**
 * Reads the fleet's telemetry as ML series: one row per point time, fields in the plan's order
 * (settings, then sensors); a missing value repeats the asset's previous one, and rows before
 * every field had a value are dropped. The ML time axis is the row's position (1, 2, 3…: cycles
 * of equal steps, as written by the devices); `times` keeps the wall-clock times.
 */
export async function readFleetSeries(
  store: TelemetryStore,
  plan: FleetPlan,
  range: { from?: Date | undefined; to?: Date | undefined } = {},
): Promise<FleetSeries> {
  const keys = [...plan.settingKeys, ...plan.sensorKeys];
  const byAsset = new Map<string, Rows>();
  const chunks = store.stream(plan.tenantId, {
    measurement: plan.measurement,
    fields: keys,
    assets: plan.assets.map((a) => a.externalId),
    from: range.from,
    to: range.to,
    chunkRows: CHUNK_ROWS,
  });
  for await (const chunk of chunks) {
    let rows = byAsset.get(chunk.asset);
    if (!rows) {
      rows = { times: [], columns: keys.map(() => []) };
      byAsset.set(chunk.asset, rows);
    }
    for (const t of chunk.times) rows.times.push(t);
    chunk.values.forEach((values, k) => {
      const column = rows.columns[k];
      if (column) for (const value of values) column.push(typeof value === "number" ? value : null);
    });
  }

  const assets: AssetSeries[] = [];
  const times: Float64Array[] = [];
  const lineage: AssetLineage[] = [];
  for (const asset of plan.assets) {
    const rows = byAsset.get(asset.externalId) ?? { times: [], columns: keys.map(() => []) };
    const filled = fillForward(rows);
    lineage.push({
      assetId: asset.assetId,
      externalId: asset.externalId,
      rows: filled.times.length,
      from: filled.times.length > 0 ? new Date(filled.times[0] ?? 0).toISOString() : null,
      to: filled.times.length > 0 ? new Date(filled.times.at(-1) ?? 0).toISOString() : null,
      incompleteRows: rows.times.length - filled.times.length,
    });
    if (filled.times.length === 0) continue;
    const n = filled.times.length;
    const time = new Float64Array(n);
    for (let i = 0; i < n; i++) time[i] = i + 1;
    const columns = filled.columns.map((c) => Float64Array.from(c));
    assets.push({
      id: asset.assetId,
      time,
      settings: columns.slice(0, plan.settingKeys.length),
      sensors: columns.slice(plan.settingKeys.length),
    });
    times.push(Float64Array.from(filled.times));
  }
  return { set: { settingNames: plan.settingKeys, sensorNames: plan.sensorKeys, assets }, times, lineage };
}

function fillForward(rows: Rows): { times: number[]; columns: number[][] } {
  const last: (number | null)[] = rows.columns.map(() => null);
  const times: number[] = [];
  const columns: number[][] = rows.columns.map(() => []);
  for (let i = 0; i < rows.times.length; i++) {
    rows.columns.forEach((column, k) => {
      const v = column[i];
      if (v !== null && v !== undefined && Number.isFinite(v)) last[k] = v;
    });
    if (last.some((v) => v === null)) continue;
    times.push(rows.times[i] ?? 0);
    last.forEach((v, k) => {
      columns[k]?.push(v ?? 0);
    });
  }
  return { times, columns };
}

/**
 * A run-to-failure view of the fleet: each asset with a failure keeps its rows up to the failure
 * (the last kept row is its last cycle); assets without a failure are left out.
 */
export function runToFailure(fleet: FleetSeries, failures: ReadonlyMap<string, string>): FleetSeries {
  const assets: AssetSeries[] = [];
  const times: Float64Array[] = [];
  fleet.set.assets.forEach((asset, i) => {
    const failureAt = failures.get(asset.id);
    const t = fleet.times[i];
    if (!failureAt || !t) return;
    const end = Date.parse(failureAt);
    let n = 0;
    while (n < t.length && (t[n] ?? 0) <= end) n++;
    if (n === 0) return;
    assets.push({
      id: asset.id,
      time: asset.time.slice(0, n),
      settings: asset.settings.map((c) => c.slice(0, n)),
      sensors: asset.sensors.map((c) => c.slice(0, n)),
    });
    times.push(t.slice(0, n));
  });
  const kept = new Set(assets.map((a) => a.id));
  return { set: { ...fleet.set, assets }, times, lineage: fleet.lineage.filter((l) => kept.has(l.assetId)) };
}
