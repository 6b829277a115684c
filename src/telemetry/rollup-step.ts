import { numericSensorKeys } from "../assets/index.js";
import { type Db, withTenant } from "../db/client.js";
import { clearDirtyRows, type HourRange, rollupWork, takeDirtyRows } from "./rollup-marks.js";
import type { TelemetryStore } from "./store.js";

export interface RollupDeps {
  readonly db: Db;
  readonly store: Pick<TelemetryStore, "recomputeRollups">;
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

/** Recomputes one tenant measurement's stale hours and deletes the rows it read; returns hours and rows. */
async function recomputeMeasurement(
  deps: RollupDeps,
  tenantId: string,
  measurement: string,
  rowsPerMeasurement: number,
): Promise<{ hours: number; cleared: number }> {
  const { rows, sensorKeys } = await withTenant(deps.db.db, { tenantId }, async (tx) => ({
    rows: await takeDirtyRows(tx, { tenantId, measurement, limit: rowsPerMeasurement }),
    sensorKeys: await numericSensorKeys({ tx, principal: { tenantId } }, measurement),
  }));
  if (rows.length === 0) return { hours: 0, cleared: 0 };
  const ranges = unionOf(rows);
  // A type without numeric sensors (or deleted since) has nothing to roll up: its rows just go.
  if (sensorKeys.length > 0) await deps.store.recomputeRollups(tenantId, { measurement, fields: sensorKeys, hours: ranges });
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
