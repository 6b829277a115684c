import { and, eq, sql } from "drizzle-orm";
import { assets, assetTypes, sensors } from "../assets/schema.js";
import type { TenantContext } from "../core/context.js";
import { listSome, notFound, validation } from "../core/errors.js";
import type { Db } from "../db/client.js";
import { ident, str, timeNs } from "./influxql.js";
import { dirtyHoursBetween, HOUR_MS } from "./rollup-marks.js";
import { isRolledUp, joinSpans, MAX_SPANS, planSpans, spanStatements } from "./rollup-read.js";
import type { Series, TelemetryStore } from "./store.js";

/** The telemetry verbs need only the store; the asset lookup before them runs in the tenant's transaction. */
export interface TelemetryReadContext {
  readonly store: TelemetryStore;
}

/** Aggregates may read hourly rollups: those need the stale hours from Postgres. */
export interface TelemetryAggregateContext extends TelemetryReadContext {
  readonly db: Db;
  /** False: every window is read from the raw points. */
  readonly rollups: boolean;
}

export const AGGREGATES = ["mean", "min", "max", "last", "count"] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** The most values (rows × sensors) one answer may hold; larger questions answer VALIDATION. */
export const MAX_VALUES = 100_000;
export const MAX_RANGE_DAYS = 3_660;
export const MIN_WINDOW_SECONDS = 1;
export const MAX_WINDOW_SECONDS = 366 * 86_400;

/** Column-major: one time list, and per sensor one value list of the same length. */
export interface TelemetryTable {
  readonly sensors: readonly string[];
  readonly times: readonly Date[];
  readonly values: readonly (number | null)[][];
}

/** What a telemetry question is about, resolved in the tenant's transaction (so another tenant's asset is NOT_FOUND). */
export interface SeriesRef {
  readonly tenantId: string;
  readonly assetId: string;
  readonly externalId: string;
  readonly measurement: string;
  readonly sensors: readonly string[];
  /** Those of `sensors` that hold booleans: only `last` and `count` aggregate them. */
  readonly booleans: readonly string[];
}

/** The asset, its measurement and the sensors asked for (all of the type's when none are named), in one query. */
export async function resolveSeries(
  ctx: TenantContext,
  input: { assetId: string; sensors?: readonly string[] | null | undefined },
): Promise<SeriesRef> {
  const tenantId = ctx.principal.tenantId;
  const [row] = await ctx.tx
    .select({
      externalId: assets.externalId,
      measurement: assetTypes.key,
      known: sql<string[] | null>`array_agg(${sensors.key} order by ${sensors.id}) filter (where ${sensors.key} is not null)`,
      booleans: sql<string[] | null>`array_agg(${sensors.key}) filter (where ${sensors.valueType} = 'boolean')`,
    })
    .from(assets)
    .innerJoin(assetTypes, and(eq(assetTypes.tenantId, assets.tenantId), eq(assetTypes.id, assets.assetTypeId)))
    .leftJoin(sensors, and(eq(sensors.tenantId, assetTypes.tenantId), eq(sensors.assetTypeId, assetTypes.id)))
    .where(and(eq(assets.tenantId, tenantId), eq(assets.id, input.assetId)))
    .groupBy(assets.externalId, assetTypes.key);
  if (!row) throw notFound("Asset", input.assetId);
  const known = row.known ?? [];
  const wanted = input.sensors && input.sensors.length > 0 ? [...new Set(input.sensors)] : known;
  const knownSet = new Set(known);
  const unknown = wanted.filter((s) => !knownSet.has(s));
  if (unknown.length > 0) {
    throw validation(`Unknown sensor(s) for a ${row.measurement}: ${listSome(unknown)}. Known: ${listSome(known) || "none"}.`, {
      field: "sensors",
      unknown: unknown.length,
    });
  }
  if (wanted.length === 0) throw validation(`Asset type ${row.measurement} has no sensors to query.`, { field: "sensors" });
  const wantedSet = new Set(wanted);
  const booleans = (row.booleans ?? []).filter((s) => wantedSet.has(s));
  return { tenantId, assetId: input.assetId, externalId: row.externalId, measurement: row.measurement, sensors: wanted, booleans };
}

/** InfluxDB's time range (int64 nanoseconds since the epoch). */
const EARLIEST = Date.UTC(1677, 8, 22);
const LATEST = Date.UTC(2262, 3, 11);

export function checkRange(from: Date, to: Date): void {
  for (const [name, d] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (Number.isNaN(d.getTime()) || d.getTime() < EARLIEST || d.getTime() > LATEST) {
      throw validation(`"${name}" must lie between 1677-09-22 and 2262-04-11.`, { field: name });
    }
  }
  if (!(from.getTime() < to.getTime())) throw validation('"from" must be before "to".', { field: "from" });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw validation(`A range may span at most ${MAX_RANGE_DAYS} days.`, { field: "to" });
}

const asNumber = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : null);

function toTable(series: readonly Series[], sensorNames: readonly string[]): TelemetryTable {
  const times: Date[] = [];
  const values: (number | null)[][] = sensorNames.map(() => []);
  for (const s of series) {
    const index = sensorNames.map((name) => s.columns.indexOf(name));
    for (const v of s.values) {
      times.push(new Date(Number(v[0])));
      index.forEach((column, i) => {
        values[i]?.push(column < 0 ? null : asNumber(v[column]));
      });
    }
  }
  return { sensors: sensorNames, times, values };
}

export function seriesWhere(ref: SeriesRef, from: Date, to: Date): string {
  return `"asset"::tag = ${str(ref.externalId)} AND time >= ${timeNs(from)} AND time < ${timeNs(to)}`;
}

export async function telemetryPoints(
  ctx: TelemetryReadContext,
  input: { series: SeriesRef; from: Date; to: Date; limit?: number | null | undefined },
): Promise<TelemetryTable> {
  const { series: ref } = input;
  checkRange(input.from, input.to);
  const maxRows = Math.floor(MAX_VALUES / ref.sensors.length);
  const limit = input.limit ?? maxRows;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxRows) {
    throw validation(`"limit" must be 1 to ${maxRows} rows for ${ref.sensors.length} sensor(s) (at most ${MAX_VALUES} values).`, {
      field: "limit",
      max: maxRows,
    });
  }
  const q = `SELECT ${ref.sensors.map(ident).join(", ")} FROM ${ident(ref.measurement)} WHERE ${seriesWhere(ref, input.from, input.to)} ORDER BY time ASC LIMIT ${limit}`;
  const [series = []] = await ctx.store.query(ref.tenantId, q);
  return toTable(series, ref.sensors);
}

/**
 * The answer of an hour-multiple window over hourly rollups where they are exact (whole hours, none
 * stale) and the raw points elsewhere; undefined when the question cannot use them.
 */
async function fromRollups(
  ctx: TelemetryAggregateContext,
  input: { series: SeriesRef; from: Date; to: Date; windowSeconds: number; aggregate: Aggregate },
): Promise<TelemetryTable | undefined> {
  const { series: ref, aggregate } = input;
  const windowMs = input.windowSeconds * 1000;
  if (!ctx.rollups || !isRolledUp(aggregate) || windowMs % HOUR_MS !== 0 || ref.booleans.length > 0) return undefined;
  // A range shorter than a window's hour cannot hold a whole hour.
  if (input.to.getTime() - input.from.getTime() < HOUR_MS) return undefined;
  const dirty = await dirtyHoursBetween(ctx.db, { tenantId: ref.tenantId, measurement: ref.measurement, from: input.from, to: input.to });
  const spans = planSpans(input.from.getTime(), input.to.getTime(), windowMs, dirty);
  if (!spans.some((s) => s.rollup) || spans.length > MAX_SPANS) return undefined;
  const ask = {
    measurement: ref.measurement,
    externalId: ref.externalId,
    sensors: ref.sensors,
    windowSeconds: input.windowSeconds,
    aggregate,
  };
  const answers = await ctx.store.query(ref.tenantId, spanStatements(ask, spans).join("; "));
  return { sensors: ref.sensors, ...joinSpans(ask, spans, answers) };
}

export async function telemetryAggregate(
  ctx: TelemetryAggregateContext,
  input: { series: SeriesRef; from: Date; to: Date; windowSeconds: number; aggregate: Aggregate },
): Promise<TelemetryTable> {
  const { series: ref } = input;
  checkRange(input.from, input.to);
  if (!Number.isInteger(input.windowSeconds) || input.windowSeconds < MIN_WINDOW_SECONDS || input.windowSeconds > MAX_WINDOW_SECONDS) {
    throw validation(`"windowSeconds" must be a whole number from ${MIN_WINDOW_SECONDS} to ${MAX_WINDOW_SECONDS}.`, {
      field: "windowSeconds",
    });
  }
  if (ref.booleans.length > 0 && input.aggregate !== "last" && input.aggregate !== "count") {
    throw validation(`${input.aggregate} needs numbers; ${ref.booleans.join(", ")} hold booleans (use LAST or COUNT, or leave them out).`, {
      field: "sensors",
    });
  }
  const windows = Math.ceil((input.to.getTime() - input.from.getTime()) / (input.windowSeconds * 1000));
  if (windows * ref.sensors.length > MAX_VALUES) {
    throw validation(
      `That is ${windows} windows × ${ref.sensors.length} sensor(s) = ${windows * ref.sensors.length} values; at most ${MAX_VALUES}. Use a larger window, fewer sensors or a shorter range.`,
      { field: "windowSeconds", max: MAX_VALUES },
    );
  }
  const rolled = await fromRollups(ctx, input);
  if (rolled) return rolled;
  const fields = ref.sensors.map((s) => `${input.aggregate}(${ident(s)}) AS ${ident(s)}`).join(", ");
  const q = `SELECT ${fields} FROM ${ident(ref.measurement)} WHERE ${seriesWhere(ref, input.from, input.to)} GROUP BY time(${input.windowSeconds}s) fill(none)`;
  const [series = []] = await ctx.store.query(ref.tenantId, q);
  return toTable(series, ref.sensors);
}

export interface LatestValue {
  readonly sensor: string;
  readonly time: Date;
  readonly value: number | null;
}

/** The last value of each sensor, each with its own time (one statement per sensor, one request). */
export async function latestTelemetry(ctx: TelemetryReadContext, input: { series: SeriesRef }): Promise<LatestValue[]> {
  const ref = input.series;
  const statements = ref.sensors.map(
    (s) => `SELECT last(${ident(s)}) AS "v" FROM ${ident(ref.measurement)} WHERE "asset" = ${str(ref.externalId)}`,
  );
  const results = await ctx.store.query(ref.tenantId, statements.join("; "));
  return ref.sensors.flatMap((sensor, i) => {
    const row = results[i]?.[0]?.values[0];
    return row ? [{ sensor, time: new Date(Number(row[0])), value: asNumber(row[1]) }] : [];
  });
}
