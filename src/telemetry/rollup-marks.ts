import { and, asc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import { type Db, type Tx, withTenant } from "../db/client.js";
import { telemetryDirtyHours } from "./schema.js";

export const HOUR_MS = 3_600_000;

/**
 * An hour is recomputed once it ended this long ago: while points still arrive for it, every turn
 * would scan it again. Until then reads take it raw (usually the range's last, cut window anyway).
 */
export const SETTLE_MS = 5 * 60_000;

/** The last hour number that has settled at `nowMs`. */
export const lastSettledHour = (nowMs: number): number => Math.floor((nowMs - SETTLE_MS) / HOUR_MS) - 1;

/** Ranges split where the hours stop being settled, so a backfill up to now is not held back by its last hour. */
export function splitAtSettled(ranges: readonly HourRange[], nowMs: number): HourRange[] {
  const settled = lastSettledHour(nowMs);
  return ranges.flatMap((r) =>
    r.first <= settled && r.last > settled
      ? [
          { first: r.first, last: settled },
          { first: settled + 1, last: r.last },
        ]
      : [r],
  );
}

/** At most this many ranges are recorded per measurement and batch; more are joined over their gaps. */
export const MAX_RANGES_PER_MEASUREMENT = 16;

/** Whole hours, as hour numbers (ms since the epoch / HOUR_MS), first and last included. */
export interface HourRange {
  readonly first: number;
  readonly last: number;
}

export interface DirtyMark extends HourRange {
  readonly measurement: string;
}

/** The measurement that holds a type's hourly rollups: ":" never occurs in a type key, so no type's own measurement is hit. */
export const rollupMeasurement = (typeKey: string): string => `${typeKey}:1h`;

/** Whether a measurement holds hourly rollups (asset type keys never hold a colon). */
export const isRollupMeasurement = (name: string): boolean => name.endsWith(":1h");

/**
 * Hours as at most `max` ranges: consecutive hours join, and when there are too many ranges they
 * are joined over their smallest gaps (only the `max - 1` largest gaps stay). Marking too much
 * only sends reads of those hours to the raw points until they are recomputed; marking too little
 * would be wrong. O(n log n) in the batch's distinct hours.
 */
export function hourRanges(hours: Iterable<number>, max = MAX_RANGES_PER_MEASUREMENT): HourRange[] {
  const sorted = [...new Set(hours)].sort((a, b) => a - b);
  const runs: { first: number; last: number }[] = [];
  for (const h of sorted) {
    const prev = runs[runs.length - 1];
    if (prev && h === prev.last + 1) prev.last = h;
    else runs.push({ first: h, last: h });
  }
  const keep = Math.max(1, max);
  if (runs.length <= keep) return runs;
  const gaps = runs.slice(1).map((r, k) => ({ at: k + 1, gap: r.first - (runs[k]?.last ?? r.first) }));
  gaps.sort((a, b) => b.gap - a.gap || a.at - b.at);
  const cuts = new Set(gaps.slice(0, keep - 1).map((g) => g.at));
  const ranges: { first: number; last: number }[] = [];
  runs.forEach((r, k) => {
    const prev = ranges[ranges.length - 1];
    if (prev && !cuts.has(k)) prev.last = r.last;
    else ranges.push({ first: r.first, last: r.last });
  });
  return ranges;
}

/**
 * Records the hours a batch touched, in the ingest transaction and after the write: once this
 * commits, the rollup step recomputes them from points that are already stored.
 */
export async function markDirtyHours(tx: Tx, tenantId: string, marks: readonly DirtyMark[]): Promise<void> {
  if (marks.length === 0) return;
  await tx.insert(telemetryDirtyHours).values(
    marks.map((m) => ({
      tenantId,
      measurement: m.measurement,
      firstHour: new Date(m.first * HOUR_MS),
      lastHour: new Date(m.last * HOUR_MS),
    })),
  );
}

/** The stale hours of a measurement that overlap [from, to), joined into sorted, disjoint ranges. */
export async function dirtyHoursBetween(
  db: Db,
  input: { tenantId: string; measurement: string; from: Date; to: Date },
): Promise<HourRange[]> {
  return withTenant(db.db, { tenantId: input.tenantId }, (tx) => dirtyHoursIn(tx, input));
}

/** The same, in the tenant's transaction. */
export async function dirtyHoursIn(tx: Tx, input: { tenantId: string; measurement: string; from: Date; to: Date }): Promise<HourRange[]> {
  const fromHour = new Date(Math.floor(input.from.getTime() / HOUR_MS) * HOUR_MS);
  const rows = await tx
    .selectDistinct({ first: telemetryDirtyHours.firstHour, last: telemetryDirtyHours.lastHour })
    .from(telemetryDirtyHours)
    .where(
      and(
        eq(telemetryDirtyHours.tenantId, input.tenantId),
        eq(telemetryDirtyHours.measurement, input.measurement),
        lte(telemetryDirtyHours.firstHour, input.to),
        gte(telemetryDirtyHours.lastHour, fromHour),
      ),
    );
  return joined(rows.map((r) => ({ first: r.first.getTime() / HOUR_MS, last: r.last.getTime() / HOUR_MS })));
}

export interface DirtyRow extends HourRange {
  readonly id: number;
}

/** The oldest settled stale ranges of one measurement, for the rollup step. */
export async function takeDirtyRows(tx: Tx, input: { tenantId: string; measurement: string; limit: number }): Promise<DirtyRow[]> {
  const rows = await tx
    .select({ id: telemetryDirtyHours.id, first: telemetryDirtyHours.firstHour, last: telemetryDirtyHours.lastHour })
    .from(telemetryDirtyHours)
    .where(
      and(
        eq(telemetryDirtyHours.tenantId, input.tenantId),
        eq(telemetryDirtyHours.measurement, input.measurement),
        lt(telemetryDirtyHours.lastHour, sql`now() - ${`${(HOUR_MS + SETTLE_MS) / 1000} seconds`}::interval`),
      ),
    )
    .orderBy(asc(telemetryDirtyHours.id))
    .limit(input.limit);
  return rows.map((r) => ({ id: r.id, first: r.first.getTime() / HOUR_MS, last: r.last.getTime() / HOUR_MS }));
}

/** The hours of `range` outside `done` (sorted, disjoint), as ranges. */
export function hoursLeft(range: HourRange, done: readonly HourRange[]): HourRange[] {
  const out: HourRange[] = [];
  let next = range.first;
  for (const d of done) {
    if (d.last < next) continue;
    if (d.first > range.last) break;
    if (d.first > next) out.push({ first: next, last: d.first - 1 });
    next = d.last + 1;
    if (next > range.last) return out;
  }
  if (next <= range.last) out.push({ first: next, last: range.last });
  return out;
}

/**
 * After the rollup step recomputed the hours `done` (sorted, disjoint) of `rows`: deletes the rows
 * it read that hold such an hour, and marks again what is left of them (joined), so a step stopped
 * part way (its budget spent, or the store failed on some hours) keeps what it did. A row another
 * step deleted meanwhile is left to that step. Returns the rows deleted.
 */
export async function settleDirtyRows(
  tx: Tx,
  input: { tenantId: string; measurement: string; rows: readonly DirtyRow[]; done: readonly HourRange[] },
): Promise<number> {
  const touched = input.rows.flatMap((r) => {
    const left = hoursLeft(r, input.done);
    return left.length === 1 && left[0]?.first === r.first && left[0]?.last === r.last ? [] : [{ id: r.id, left }];
  });
  if (touched.length === 0) return 0;
  const deleted = new Set(
    (
      await tx
        .delete(telemetryDirtyHours)
        .where(
          and(
            eq(telemetryDirtyHours.tenantId, input.tenantId),
            inArray(
              telemetryDirtyHours.id,
              touched.map((r) => r.id),
            ),
          ),
        )
        .returning({ id: telemetryDirtyHours.id })
    ).map((r) => r.id),
  );
  const rest = joined(touched.filter((r) => deleted.has(r.id)).flatMap((r) => r.left));
  await markDirtyHours(
    tx,
    input.tenantId,
    rest.map((r) => ({ measurement: input.measurement, ...r })),
  );
  return deleted.size;
}

/** How many hours the ranges hold (disjoint ranges: each hour once). */
export const hoursIn = (ranges: readonly HourRange[]): number => ranges.reduce((n, r) => n + r.last - r.first + 1, 0);

/** Sorted, disjoint ranges covering exactly the hours of the given ones. */
export function joined(ranges: readonly HourRange[]): HourRange[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: { first: number; last: number }[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last + 1) prev.last = Math.max(prev.last, r.last);
    else out.push({ first: r.first, last: r.last });
  }
  return out;
}

/** Tenants and measurements with stale hours, the longest waiting first (the one cross-tenant question). */
export async function rollupWork(db: Db, limit: number): Promise<{ tenantId: string; measurement: string }[]> {
  const rows = await db.db.execute<{ tenant_id: string; measurement: string }>(
    sql`select tenant_id, measurement from telemetry_rollup_work(${limit})`,
  );
  return [...rows].map((r) => ({ tenantId: r.tenant_id, measurement: r.measurement }));
}
