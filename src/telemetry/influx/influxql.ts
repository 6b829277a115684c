import { rollupMeasurement } from "../rollup-marks.js";
import type { RangeQuery, RollupRecompute, SeriesSelector, StreamQuery, WindowQuery, WindowSpan } from "../store.js";

/** Escaping for InfluxQL built by the server: identifiers in double quotes, strings in single. */
export function ident(name: string): string {
  return `"${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function str(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

/** A time literal in nanoseconds since the epoch (InfluxQL's own integer form). */
export function timeNs(date: Date | number): string {
  return `${BigInt(typeof date === "number" ? date : date.getTime()) * 1_000_000n}`;
}

/** The tenant's database: its name comes from the tenant id, never from input. */
export const tenantDatabase = (tenantId: string): string => {
  if (!/^ten_[0-9a-z]{26}$/.test(tenantId)) throw new Error(`Not a tenant id: ${tenantId}`);
  return `t_${tenantId}`;
};

const HOUR_MS = 3_600_000;

const seriesWhere = (asset: string, from: Date | number, to: Date | number): string =>
  `"asset"::tag = ${str(asset)} AND time >= ${timeNs(from)} AND time < ${timeNs(to)}`;

/** Raw points of one series, in time order. */
export function rangeStatement(q: RangeQuery): string {
  const limit = q.limit === undefined ? "" : ` LIMIT ${q.limit}`;
  return `SELECT ${q.fields.map(ident).join(", ")} FROM ${ident(q.measurement)} WHERE ${seriesWhere(q.asset, q.from, q.to)} ORDER BY time ${q.order === "asc" ? "ASC" : "DESC"}${limit}`;
}

/** A field's columns of a rollup statement: min of mins, max of maxes, or sums of sums and counts. */
function rollupColumns(aggregate: WindowQuery["aggregate"], field: string, i: number): string {
  switch (aggregate) {
    case "min":
      return `min(${ident(`min_${field}`)}) AS "v${i}"`;
    case "max":
      return `max(${ident(`max_${field}`)}) AS "v${i}"`;
    case "count":
      return `sum(${ident(`count_${field}`)}) AS "v${i}"`;
    case "mean":
      return `sum(${ident(`sum_${field}`)}) AS "v${i}", sum(${ident(`count_${field}`)}) AS "n${i}"`;
    case "last":
      throw new Error("The rollups hold no last value: read `last` from the raw points.");
  }
}

/** One statement per span: the question as asked over the raw points, or over the hours' rollup points. */
export function windowStatement(q: WindowQuery, span: WindowSpan): string {
  const rollup = span.source === "rollup";
  const fields = q.fields.map((f, i) => (rollup ? rollupColumns(q.aggregate, f, i) : `${q.aggregate}(${ident(f)}) AS "v${i}"`)).join(", ");
  const from = rollup ? rollupMeasurement(q.measurement) : q.measurement;
  return `SELECT ${fields} FROM ${ident(from)} WHERE ${seriesWhere(q.asset, span.from, span.to)} GROUP BY time(${q.windowSeconds}s) fill(none)`;
}

/** The last value of each field, one statement per field (each with its own time). */
export function latestStatements(q: SeriesSelector): string[] {
  return q.fields.map((f) => `SELECT last(${ident(f)}) AS "v" FROM ${ident(q.measurement)} WHERE "asset"::tag = ${str(q.asset)}`);
}

/** A few assets are named one by one; beyond this a whole measurement is read and filtered by the reader. */
export const MAX_NAMED_ASSETS = 200;

export function streamStatement(q: StreamQuery): string {
  const conditions: string[] = [];
  if (q.from) conditions.push(`time >= ${timeNs(q.from)}`);
  if (q.to) conditions.push(`time < ${timeNs(q.to)}`);
  if (q.assets.length <= MAX_NAMED_ASSETS) conditions.push(`(${q.assets.map((a) => `"asset"::tag = ${str(a)}`).join(" OR ")})`);
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(" AND ")}` : "";
  return `SELECT ${q.fields.map(ident).join(", ")} FROM ${ident(q.measurement)}${where} GROUP BY "asset"`;
}

/** One INTO statement covers at most this many hours (a week): a backfill of a year is 53 bounded scans. */
const CHUNK_HOURS = 168;

/**
 * The statements that recompute hours of one measurement from its raw points: min, max, sum and
 * count per field, series (every tag kept by `GROUP BY *`) and hour. INTO overwrites the points of
 * the same series and hour, so running them again changes nothing.
 */
export function rollupStatements(work: RollupRecompute): string[] {
  const fields = work.fields
    .flatMap((s) => ["min", "max", "sum", "count"].map((f) => `${f}(${ident(s)}) AS ${ident(`${f}_${s}`)}`))
    .join(", ");
  const out: string[] = [];
  for (const r of work.hours) {
    for (let first = r.first; first <= r.last; first += CHUNK_HOURS) {
      const last = Math.min(r.last, first + CHUNK_HOURS - 1);
      out.push(
        `SELECT ${fields} INTO "autogen".${ident(rollupMeasurement(work.measurement))} FROM ${ident(work.measurement)} WHERE time >= ${timeNs(first * HOUR_MS)} AND time < ${timeNs((last + 1) * HOUR_MS)} GROUP BY time(1h), * fill(none)`,
      );
    }
  }
  return out;
}
