import { numericSensorKeys } from "../assets/index.js";
import { type Db, withTenant } from "../db/client.js";
import { type HourRange, hoursIn, joined, rollupWork, settleDirtyRows, takeDirtyRows } from "./rollup-marks.js";
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
  /** Hours recomputed by the first call to the store: bounds the work of one request to it. */
  readonly hoursPerCall?: number;
  /** Hours per call at most: a call that took under a second doubles the next one's, up to this. */
  readonly maxHoursPerCall?: number;
  /**
   * Time per measurement and run, in ms: no call starts after it. A measurement with more stale
   * hours (a long backfill) goes on in the next run, behind the others, with what it did kept.
   */
  readonly budgetMs?: number;
  /** At most this many calls per measurement and run (no limit but the budget when absent). */
  readonly callsPerMeasurement?: number;
  /**
   * Kept by the caller from run to run: the hours per call each unfinished measurement ended its
   * run with, so one whose calls had to shrink (a request outlasting the store's timeout uses up
   * the budget) starts the next run with the smaller calls instead of failing the same way again.
   */
  readonly sizes?: Map<string, number>;
}

/**
 * A day of hours per call: on 200 series of 24 fields (the C-MAPSS import) a call takes 4 s, a
 * week 14 s, and the whole import (386 hours) outlasts the store's 30 s timeout.
 */
export const HOURS_PER_CALL = 24;
/** Eight weeks: what the store recomputes in one request (8 statements of a week). */
export const MAX_HOURS_PER_CALL = 1_344;
/** A call quicker than this doubles the next one's hours (sparse data: a year of one series takes few calls). */
const GROW_BELOW_MS = 1_000;
/** Ten seconds per measurement and run (the step runs every 15 s). */
export const BUDGET_MS = 10_000;

export interface RollupRun {
  readonly measurements: number;
  readonly hours: number;
  readonly cleared: number;
  /** Measurements whose recomputation failed (InfluxDB or Postgres unavailable): what is left stays for the next run. */
  readonly failures: readonly { tenantId: string; measurement: string; error: unknown }[];
}

/**
 * The first `size` hours (at least one) of sorted, disjoint ranges, as ranges, and the ranges left
 * after them.
 */
export function takeHours(ranges: readonly HourRange[], size: number): { slice: HourRange[]; rest: HourRange[] } {
  const slice: HourRange[] = [];
  let room = Math.max(1, Math.floor(size));
  for (let k = 0; k < ranges.length; k++) {
    const r = ranges[k] as HourRange;
    const last = Math.min(r.last, r.first + room - 1);
    slice.push({ first: r.first, last });
    room -= last - r.first + 1;
    if (room === 0) return { slice, rest: [...(last < r.last ? [{ first: last + 1, last: r.last }] : []), ...ranges.slice(k + 1)] };
  }
  return { slice, rest: [] };
}

/**
 * Recomputes one tenant measurement's stale hours, oldest first, `size` per call to the store
 * (doubled after a quick call), until they are done, the budget is spent or `calls` were made;
 * then settles the rows it read: the hours done are clean, the rest stays stale. A call that fails
 * is tried again on half its hours, down to one; an hour that fails on its own stays stale and
 * the hours after it go on. Returns the hours done, the rows deleted, the size to start the next
 * run with, and the store's error when an hour failed or the turn ended on a failed call.
 */
async function recomputeMeasurement(
  deps: RollupDeps,
  input: { tenantId: string; measurement: string; rows: number; size: number; maxSize: number; budgetMs: number; calls: number },
): Promise<{ hours: number; cleared: number; size: number; finished: boolean; error?: unknown }> {
  const { tenantId, measurement } = input;
  const { rows, sensorKeys } = await withTenant(deps.db.db, { tenantId }, async (tx) => ({
    rows: await takeDirtyRows(tx, { tenantId, measurement, limit: input.rows }),
    sensorKeys: await numericSensorKeys({ tx, principal: { tenantId } }, measurement),
  }));
  const most = Math.max(1, Math.floor(input.maxSize));
  let size = Math.min(most, Math.max(1, Math.floor(input.size)));
  if (rows.length === 0) return { hours: 0, cleared: 0, size, finished: true };
  // A type without numeric sensors (or deleted since) has nothing to roll up: its rows just go.
  const done: HourRange[] = sensorKeys.length > 0 ? [] : joined(rows);
  let left = sensorKeys.length > 0 ? joined(rows) : [];
  let hours = 0;
  let failed: { error: unknown } | undefined;
  let lastFailed: { error: unknown } | undefined;
  // Once a call failed, the turn's calls grow no more.
  let shrunk = false;
  const deadline = performance.now() + input.budgetMs;
  for (let calls = 0; left.length > 0 && calls < input.calls && performance.now() < deadline; calls++) {
    const { slice, rest } = takeHours(left, size);
    const started = performance.now();
    try {
      await deps.store.recomputeRollups(tenantId, { measurement, fields: sensorKeys, hours: slice });
    } catch (error) {
      lastFailed = { error };
      shrunk = true;
      if (size > 1) size = Math.ceil(size / 2);
      else {
        failed = lastFailed;
        left = rest;
      }
      continue;
    }
    lastFailed = undefined;
    if (!shrunk && performance.now() - started < GROW_BELOW_MS) size = Math.min(most, size * 2);
    done.push(...slice);
    hours += hoursIn(slice);
    left = rest;
  }
  const cleared = await withTenant(deps.db.db, { tenantId }, (tx) =>
    settleDirtyRows(tx, { tenantId, measurement, rows, done: joined(done) }),
  );
  const failure = failed ?? lastFailed;
  return { hours, cleared, size, finished: left.length === 0 && !failed, ...failure };
}

/**
 * The rollup step: for the tenant measurements with stale hours, recompute those hours from the
 * raw points and delete the rows it read. Safe to run twice at once: both write the same
 * rollups, and a batch stored meanwhile has inserted a row of its own, which neither deletes. The
 * work per measurement and run is bounded (RollupOptions), so one tenant's long backfill, or a
 * store that fails on it, holds the others back by at most that much.
 */
export async function recomputeRollups(deps: RollupDeps, options: RollupOptions = {}): Promise<RollupRun> {
  const limit = options.measurements ?? 100;
  const work = await rollupWork(deps.db, limit);
  const key = (w: { tenantId: string; measurement: string }): string => `${w.tenantId}/${w.measurement}`;
  // A complete list of the work: sizes kept for measurements no longer in it are dropped.
  if (options.sizes && work.length < limit) {
    const current = new Set(work.map(key));
    for (const k of options.sizes.keys()) if (!current.has(k)) options.sizes.delete(k);
  }
  let hours = 0;
  let cleared = 0;
  const failures: { tenantId: string; measurement: string; error: unknown }[] = [];
  for (const { tenantId, measurement } of work) {
    const k = key({ tenantId, measurement });
    try {
      const done = await recomputeMeasurement(deps, {
        tenantId,
        measurement,
        rows: options.rowsPerMeasurement ?? 1000,
        size: options.sizes?.get(k) ?? options.hoursPerCall ?? HOURS_PER_CALL,
        maxSize: options.maxHoursPerCall ?? MAX_HOURS_PER_CALL,
        budgetMs: options.budgetMs ?? BUDGET_MS,
        calls: options.callsPerMeasurement ?? Number.POSITIVE_INFINITY,
      });
      hours += done.hours;
      cleared += done.cleared;
      if (done.finished) options.sizes?.delete(k);
      else options.sizes?.set(k, done.size);
      if ("error" in done) failures.push({ tenantId, measurement, error: done.error });
    } catch (error) {
      failures.push({ tenantId, measurement, error });
    }
  }
  return { measurements: work.length, hours, cleared, failures };
}
