import { BatchScan } from "./batch-scan.js";
import { BACKSLASH, HASH, LF, QUOTE, SPACE, TAB } from "./chars.js";
import { scanFields } from "./fields.js";
import { EMPTY, refuse } from "./refusals.js";
import { pairOfLine, scanSeriesKey } from "./series-key.js";
import { lineEnd } from "./text.js";
import { scanTimestamp } from "./timestamp.js";
import type { BatchOptions, BatchResult, ResolveTarget } from "./types.js";

/**
 * Validates a whole line protocol body: syntax (at least as strict as InfluxDB 1.6), the `asset` tag, the
 * writer's rights (through `resolve`, cached per distinct pair), field keys, value types and the time window.
 * Stops at the first bad line. Runs in one pass without per-field allocations. Each call has its own state:
 * `resolve` may itself validate another batch.
 */
export function validateBatch(body: string, resolve: ResolveTarget, options: BatchOptions): BatchResult {
  const b = new BatchScan(body, resolve, options);
  if (!scanLines(b)) return { ok: false, line: b.lineNo, kind: b.refusal.kind, reason: b.refusal.reason };
  if (b.points === 0) return { ok: false, line: 0, kind: EMPTY.kind, reason: EMPTY.reason };
  return summary(b);
}

/**
 * Scans every line; false with b.refusal set at the first bad one. The loop is a function of its own so that the
 * engine's on-stack-replaced code for it ends at the loop, not in the rarely run code after it.
 */
function scanLines(b: BatchScan): boolean {
  const n = b.n;
  let pos = 0;
  while (pos < n) {
    b.lineNo++;
    pos = scanLine(b, pos);
    if (pos < 0) return false;
  }
  return true;
}

/** Scans the line starting at pos; returns where the next line starts, or -1 with b.refusal set. */
function scanLine(b: BatchScan, pos: number): number {
  const { body, n } = b;
  let i = pos;
  let c = body.charCodeAt(i);

  // Leading whitespace, blank lines, comments.
  while (c === SPACE || c === TAB) {
    i++;
    c = i < n ? body.charCodeAt(i) : LF;
  }
  if (c === LF) return i + 1;
  if (c === HASH) return scanComment(b, i);

  i = scanSeriesKey(b, i);
  if (i < 0) return -1;
  const pair = pairOfLine(b);
  if (pair === undefined) return -1;
  i = scanFields(b, pair, i);
  if (i < 0) return -1;
  i = scanTimestamp(b, pair, i);
  if (i < 0) return -1;
  pair.points++;
  b.points++;
  return i + 1;
}

/** A comment line from its "#" at i; returns where the next line starts, or -1 with b.refusal set. */
function scanComment(b: BatchScan, i: number): number {
  const { body, n } = b;
  const end = lineEnd(body, i, n);
  for (let k = i + 1; k < end; k++) {
    const d = body.charCodeAt(k);
    if (d === QUOTE || d === BACKSLASH) return b.fail(refuse.comment(body.slice(i, end)));
  }
  return end + 1;
}

function summary(b: BatchScan): BatchResult {
  const perAsset = new Map<string, number>();
  const series = b.taggedSeries;
  const hours = new Map<string, Set<number>>();
  for (const pair of b.pairs.all) {
    if (pair.points > 0) perAsset.set(pair.asset, (perAsset.get(pair.asset) ?? 0) + pair.points);
    if (pair.hours.size > 0) {
      const known = hours.get(pair.asset);
      if (known) for (const h of pair.hours) known.add(h);
      else hours.set(pair.asset, pair.hours);
    }
    if (pair.bareLine > 0) series.set(`${pair.rawMeasurement},asset=${pair.rawAsset}`, pair.bareLine);
  }
  return { ok: true, points: b.points, perAsset, untimed: b.untimed, series, hours };
}
