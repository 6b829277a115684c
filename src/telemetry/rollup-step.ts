import { and, eq, inArray } from "drizzle-orm";
import { assetTypes, sensors } from "../assets/schema.js";
import { type Db, type Tx, withTenant } from "../db/client.js";
import { ident, timeNs } from "./influxql.js";
import { clearDirtyRows, HOUR_MS, type HourRange, rollupMeasurement, rollupWork, takeDirtyRows } from "./rollup-marks.js";
import type { TelemetryStore } from "./store.js";

export interface RollupDeps {
  readonly db: Db;
  readonly store: Pick<TelemetryStore, "query">;
}

export interface RollupOptions {
  /** Tenant measurements taken per run, the longest waiting first. */
  readonly measurements?: number;
  /** Stale ranges taken per measurement and run (each one or many hours). */
  readonly rowsPerMeasurement?: number;
}

export interface RollupRun {
  readonly measurements: number;
  readonly hours: number;
  readonly cleared: number;
  /** Measurements whose recomputation failed (InfluxDB or Postgres unavailable): their rows stay for the next run. */
  readonly failures: readonly { tenantId: string; measurement: string; error: unknown }[];
}

/** One INTO statement covers at most this many hours (a week): a backfill of a year is 53 bounded scans. */
const CHUNK_HOURS = 168;
/** Statements sent to InfluxDB per request. */
const STATEMENTS_PER_REQUEST = 8;

/** The numeric sensors of the type whose key is the measurement (booleans have no min, max or sum). */
async function numericSensors(tx: Tx, tenantId: string, typeKey: string): Promise<string[]> {
  const rows = await tx
    .select({ key: sensors.key })
    .from(sensors)
    .innerJoin(assetTypes, and(eq(assetTypes.tenantId, sensors.tenantId), eq(assetTypes.id, sensors.assetTypeId)))
    .where(and(eq(sensors.tenantId, tenantId), eq(assetTypes.key, typeKey), inArray(sensors.valueType, ["float", "integer"])))
    .orderBy(sensors.key);
  return rows.map((r) => r.key);
}

/** Sorted, disjoint ranges covering every hour of the given ones. */
export function unionOf(ranges: readonly HourRange[]): HourRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: { first: number; last: number }[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last + 1) prev.last = Math.max(prev.last, r.last);
    else out.push({ first: r.first, last: r.last });
  }
  return out;
}

/**
 * The statement that recomputes the hours [first, last] of one measurement from its raw points:
 * min, max, sum and count per sensor, series (every tag kept by `GROUP BY *`) and hour. INTO
 * overwrites the points of the same series and hour, so running it again changes nothing.
 */
export function rollupStatement(measurement: string, sensorKeys: readonly string[], range: HourRange): string {
  const fields = sensorKeys
    .flatMap((s) => ["min", "max", "sum", "count"].map((f) => `${f}(${ident(s)}) AS ${ident(`${f}_${s}`)}`))
    .join(", ");
  const from = timeNs(new Date(range.first * HOUR_MS));
  const to = timeNs(new Date((range.last + 1) * HOUR_MS));
  return `SELECT ${fields} INTO "autogen".${ident(rollupMeasurement(measurement))} FROM ${ident(measurement)} WHERE time >= ${from} AND time < ${to} GROUP BY time(1h), * fill(none)`;
}

/** Splits ranges into chunks of at most CHUNK_HOURS hours. */
function chunks(ranges: readonly HourRange[]): HourRange[] {
  const out: HourRange[] = [];
  for (const r of ranges) {
    for (let first = r.first; first <= r.last; first += CHUNK_HOURS) out.push({ first, last: Math.min(r.last, first + CHUNK_HOURS - 1) });
  }
  return out;
}

/** Recomputes one tenant measurement's stale hours and deletes the rows it read; returns hours and rows. */
async function recomputeMeasurement(
  deps: RollupDeps,
  tenantId: string,
  measurement: string,
  rowsPerMeasurement: number,
): Promise<{ hours: number; cleared: number }> {
  const { rows, sensorKeys } = await withTenant(deps.db.db, { tenantId }, async (tx) => ({
    rows: await takeDirtyRows(tx, { tenantId, measurement, limit: rowsPerMeasurement }),
    sensorKeys: await numericSensors(tx, tenantId, measurement),
  }));
  if (rows.length === 0) return { hours: 0, cleared: 0 };
  const ranges = unionOf(rows);
  // A type without numeric sensors (or deleted since) has nothing to roll up: its rows just go.
  if (sensorKeys.length > 0) {
    const statements = chunks(ranges).map((r) => rollupStatement(measurement, sensorKeys, r));
    for (let i = 0; i < statements.length; i += STATEMENTS_PER_REQUEST) {
      await deps.store.query(tenantId, statements.slice(i, i + STATEMENTS_PER_REQUEST).join("; "));
    }
  }
  const cleared = await withTenant(deps.db.db, { tenantId }, (tx) =>
    clearDirtyRows(
      tx,
      tenantId,
      rows.map((r) => r.id),
    ),
  );
  return { hours: ranges.reduce((n, r) => n + r.last - r.first + 1, 0), cleared };
}

/**
 * The rollup step: for the tenant measurements with stale hours, recompute those hours from the
 * raw points and delete the rows it read. Safe to run twice at once: both write the same
 * rollups, and a batch stored meanwhile has inserted a row of its own, which neither deletes.
 */
export async function recomputeRollups(deps: RollupDeps, options: RollupOptions = {}): Promise<RollupRun> {
  const work = await rollupWork(deps.db, options.measurements ?? 100);
  let hours = 0;
  let cleared = 0;
  const failures: { tenantId: string; measurement: string; error: unknown }[] = [];
  for (const { tenantId, measurement } of work) {
    try {
      const done = await recomputeMeasurement(deps, tenantId, measurement, options.rowsPerMeasurement ?? 1000);
      hours += done.hours;
      cleared += done.cleared;
    } catch (error) {
      failures.push({ tenantId, measurement, error });
    }
  }
  return { measurements: work.length, hours, cleared, failures };
}
