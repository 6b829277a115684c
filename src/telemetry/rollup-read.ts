import { ident, str, timeNs } from "./influxql.js";
import { HOUR_MS, type HourRange, rollupMeasurement } from "./rollup-marks.js";
import type { Series } from "./store.js";

/** Aggregates a window's hourly min, max, sum and count answer exactly. */
export const ROLLED_UP = ["mean", "min", "max", "count"] as const;
export type RolledUpAggregate = (typeof ROLLED_UP)[number];

export const isRolledUp = (aggregate: string): aggregate is RolledUpAggregate => (ROLLED_UP as readonly string[]).includes(aggregate);

/** Beyond this many spans the plan is not worth it: the whole range is read raw. */
export const MAX_SPANS = 64;

/** Consecutive windows read the same way: from the rollups, or from the raw points. */
export interface Span {
  readonly from: number;
  readonly to: number;
  readonly rollup: boolean;
}

/**
 * Which windows of [from, to) (windows of `windowMs`, a whole number of hours, aligned on the
 * epoch as InfluxDB aligns them) may be answered from the rollups: those whose part inside the
 * range is whole hours none of which is stale. A window cut by the range's edge inside an hour,
 * or holding a stale hour, is read raw. Spans are in time order and cover [from, to).
 */
export function planSpans(from: number, to: number, windowMs: number, dirty: readonly HourRange[]): Span[] {
  const spans: { from: number; to: number; rollup: boolean }[] = [];
  let d = 0;
  for (let start = Math.floor(from / windowMs) * windowMs; start < to; start += windowMs) {
    const s = Math.max(start, from);
    const e = Math.min(start + windowMs, to);
    while (d < dirty.length && ((dirty[d]?.last ?? 0) + 1) * HOUR_MS <= s) d++;
    const next = dirty[d];
    const stale = next !== undefined && next.first * HOUR_MS < e;
    const rollup = s % HOUR_MS === 0 && e % HOUR_MS === 0 && !stale;
    const prev = spans[spans.length - 1];
    if (prev && prev.rollup === rollup) prev.to = e;
    else spans.push({ from: s, to: e, rollup });
  }
  return spans;
}

interface Ask {
  readonly measurement: string;
  readonly externalId: string;
  readonly sensors: readonly string[];
  readonly windowSeconds: number;
  readonly aggregate: RolledUpAggregate;
}

const where = (ask: Ask, span: Span): string =>
  `"asset"::tag = ${str(ask.externalId)} AND time >= ${timeNs(new Date(span.from))} AND time < ${timeNs(new Date(span.to))}`;

/** The raw statement of a span: the question as asked, over the span's part of the range. */
function rawStatement(ask: Ask, span: Span): string {
  const fields = ask.sensors.map((s, i) => `${ask.aggregate}(${ident(s)}) AS "v${i}"`).join(", ");
  return `SELECT ${fields} FROM ${ident(ask.measurement)} WHERE ${where(ask, span)} GROUP BY time(${ask.windowSeconds}s) fill(none)`;
}

/** A sensor's column of a rollup statement: min of mins, max of maxes, or sums of sums and counts. */
function rollupColumns(aggregate: RolledUpAggregate, sensor: string, i: number): string {
  switch (aggregate) {
    case "min":
      return `min(${ident(`min_${sensor}`)}) AS "v${i}"`;
    case "max":
      return `max(${ident(`max_${sensor}`)}) AS "v${i}"`;
    case "count":
      return `sum(${ident(`count_${sensor}`)}) AS "v${i}"`;
    case "mean":
      return `sum(${ident(`sum_${sensor}`)}) AS "v${i}", sum(${ident(`count_${sensor}`)}) AS "n${i}"`;
  }
}

/** The rollup statement of a span, per window over the hours' rollup points. */
function rollupStatement(ask: Ask, span: Span): string {
  const fields = ask.sensors.map((s, i) => rollupColumns(ask.aggregate, s, i)).join(", ");
  return `SELECT ${fields} FROM ${ident(rollupMeasurement(ask.measurement))} WHERE ${where(ask, span)} GROUP BY time(${ask.windowSeconds}s) fill(none)`;
}

export function spanStatements(ask: Ask, spans: readonly Span[]): string[] {
  return spans.map((span) => (span.rollup ? rollupStatement(ask, span) : rawStatement(ask, span)));
}

const num = (v: unknown): number | null => (typeof v === "number" ? v : null);

/** Joins the spans' answers (one statement each, in time order) into one column-major table. */
export function joinSpans(ask: Ask, spans: readonly Span[], answers: readonly Series[][]): { times: Date[]; values: (number | null)[][] } {
  const times: Date[] = [];
  const values: (number | null)[][] = ask.sensors.map(() => []);
  spans.forEach((span, k) => {
    for (const series of answers[k] ?? []) {
      const at = (name: string) => series.columns.indexOf(name);
      const v = ask.sensors.map((_, i) => at(`v${i}`));
      const n = ask.sensors.map((_, i) => at(`n${i}`));
      for (const row of series.values) {
        times.push(new Date(Number(row[0])));
        ask.sensors.forEach((_, i) => {
          const value = num(row[v[i] ?? -1]);
          if (span.rollup && ask.aggregate === "mean") {
            const count = num(row[n[i] ?? -1]);
            values[i]?.push(value === null || count === null || count === 0 ? null : value / count);
          } else {
            values[i]?.push(value);
          }
        });
      }
    }
  });
  return { times, values };
}
