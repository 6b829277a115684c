import { numericSensorKeys } from "../assets/index.js";
import { type Db, withTenant } from "../db/client.js";
import { type HourRange, rollupWork, settleDirtyRows, takeDirtyRows } from "./rollup-marks.js";
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

const hoursIn = (ranges: readonly HourRange[]): number => ranges.reduce((n, r) => n + r.last - r.first + 1, 0);

/**
 * Recomputes one tenant measurement's stale hours, oldest first, `hoursPerCall` per call to the
 * store (more while calls are quick), until they are done, the budget is spent or `calls` were made; then settles the rows it
 * read: those it finished go, what is left of the others is marked again. A call that fails is
 * tried again on half its hours, down to one hour, so data too dense for a day per call still
 * moves; a one-hour call that fails ends the measurement's turn with its error (what was done
 * before it is kept).
 */
async function recomputeMeasurement(
  deps: RollupDeps,
  input: {
    tenantId: string;
    measurement: string;
    rows: number;
    hoursPerCall: number;
    maxHoursPerCall: number;
    budgetMs: number;
    calls: number;
  },
): Promise<{ hours: number; cleared: number; error?: unknown }> {
  const { tenantId, measurement } = input;
  const { rows, sensorKeys } = await withTenant(deps.db.db, { tenantId }, async (tx) => ({
    rows: await takeDirtyRows(tx, { tenantId, measurement, limit: input.rows }),
    sensorKeys: await numericSensorKeys({ tx, principal: { tenantId } }, measurement),
  }));
  if (rows.length === 0) return { hours: 0, cleared: 0 };
  // A type without numeric sensors (or deleted since) has nothing to roll up: its rows just go.
  let doneThrough = sensorKeys.length > 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  let hours = 0;
  // The error of the last call, when it failed (the turn ends on it, or its budget ran out after it).
  let failure: { error: unknown } | undefined;
  const deadline = performance.now() + input.budgetMs;
  let left = sensorKeys.length > 0 ? unionOf(rows) : [];
  const most = Math.max(1, Math.floor(input.maxHoursPerCall));
  let size = Math.min(most, Math.max(1, Math.floor(input.hoursPerCall)));
  // Once a request failed, the turn's requests grow no more.
  let shrunk = false;
  for (let calls = 0; left.length > 0 && calls < input.calls && performance.now() < deadline; calls++) {
    const { slice, rest } = takeHours(left, size);
    const started = performance.now();
    try {
      await deps.store.recomputeRollups(tenantId, { measurement, fields: sensorKeys, hours: slice });
    } catch (error) {
      failure = { error };
      if (size === 1) break;
      size = Math.ceil(size / 2);
      shrunk = true;
      continue;
    }
    failure = undefined;
    if (!shrunk && performance.now() - started < GROW_BELOW_MS) size = Math.min(most, size * 2);
    doneThrough = slice[slice.length - 1]?.last ?? doneThrough;
    hours += hoursIn(slice);
    left = rest;
  }
  const cleared = await withTenant(deps.db.db, { tenantId }, (tx) => settleDirtyRows(tx, { tenantId, measurement, rows, doneThrough }));
  return { hours, cleared, ...failure };
}

/**
 * The rollup step: for the tenant measurements with stale hours, recompute those hours from the
 * raw points and delete the rows it read. Safe to run twice at once: both write the same
 * rollups, and a batch stored meanwhile has inserted a row of its own, which neither deletes. The
 * work per measurement and run is bounded (RollupOptions), so one tenant's long backfill, or a
 * store that fails on it, holds the others back by at most that much.
 */
export async function recomputeRollups(deps: RollupDeps, options: RollupOptions = {}): Promise<RollupRun> {
  const work = await rollupWork(deps.db, options.measurements ?? 100);
  let hours = 0;
  let cleared = 0;
  const failures: { tenantId: string; measurement: string; error: unknown }[] = [];
  for (const { tenantId, measurement } of work) {
    try {
      const done = await recomputeMeasurement(deps, {
        tenantId,
        measurement,
        rows: options.rowsPerMeasurement ?? 1000,
        hoursPerCall: options.hoursPerCall ?? HOURS_PER_CALL,
        maxHoursPerCall: options.maxHoursPerCall ?? MAX_HOURS_PER_CALL,
        budgetMs: options.budgetMs ?? BUDGET_MS,
        calls: options.callsPerMeasurement ?? Number.POSITIVE_INFINITY,
      });
      hours += done.hours;
      cleared += done.cleared;
      if ("error" in done) failures.push({ tenantId, measurement, error: done.error });
    } catch (error) {
      failures.push({ tenantId, measurement, error });
    }
  }
  return { measurements: work.length, hours, cleared, failures };
}
