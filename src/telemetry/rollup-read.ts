import { HOUR_MS, type HourRange } from "./rollup-marks.js";

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
