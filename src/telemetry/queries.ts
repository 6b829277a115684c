import { assetSeries } from "../assets/index.js";
import type { TenantContext } from "../core/context.js";
import { listSome, notFound, validation } from "../core/errors.js";
import type { TelemetryDeps } from "./deps.js";
import { dirtyHoursIn, HOUR_MS } from "./rollup-marks.js";
import { isRolledUp, MAX_SPANS, planSpans } from "./rollup-read.js";
import type { FieldValue, PointColumns, StoreAggregate, StreamChunk } from "./store.js";

/**
 * The telemetry questions read Postgres in the tenant's transaction (the asset, so another
 * tenant's asset is NOT_FOUND; the stale rollup hours) and answer with the store's part as a
 * function the caller runs once that transaction ended: no Postgres connection waits for InfluxDB.
 */
export type AfterCommit<T> = () => Promise<T>;

export const AGGREGATES = ["mean", "min", "max", "last", "count"] as const satisfies readonly StoreAggregate[];
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

/** What a telemetry question is about: the asset's series and the sensors asked for. */
interface SeriesRef {
  readonly externalId: string;
  readonly measurement: string;
  readonly sensors: readonly string[];
  /** Those of `sensors` that hold booleans: only `last` and `count` aggregate them. */
  readonly booleans: readonly string[];
}

export interface SeriesInput {
  readonly assetId: string;
  /** All of the asset type's when none are named. */
  readonly sensors?: readonly string[] | null | undefined;
}

/** The asset, its measurement and the sensors asked for (all of the type's when none are named). */
async function resolveSeries(ctx: TenantContext, input: SeriesInput): Promise<SeriesRef> {
  const row = await assetSeries(ctx, input.assetId);
  if (!row) throw notFound("Asset", input.assetId);
  const known = row.sensors;
  const wanted = input.sensors && input.sensors.length > 0 ? [...new Set(input.sensors)] : known;
  const knownSet = new Set(known);
  const unknown = wanted.filter((s) => !knownSet.has(s));
  if (unknown.length > 0) {
    throw validation(`Unknown sensor(s) for a ${row.typeKey}: ${listSome(unknown)}. Known: ${listSome(known) || "none"}.`, {
      field: "sensors",
      unknown: unknown.length,
    });
  }
  if (wanted.length === 0) throw validation(`Asset type ${row.typeKey} has no sensors to query.`, { field: "sensors" });
  const wantedSet = new Set(wanted);
  const booleans = row.booleans.filter((s) => wantedSet.has(s));
  return { externalId: row.externalId, measurement: row.typeKey, sensors: wanted, booleans };
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

const asNumber = (v: FieldValue | undefined): number | null => (typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : null);

const toTable = (sensors: readonly string[], columns: PointColumns<number | null>): TelemetryTable => ({
  sensors,
  times: columns.times.map((t) => new Date(t)),
  values: columns.values,
});

/** Raw points of an asset, oldest first, at most `limit` rows. */
export async function telemetryPoints(
  ctx: TenantContext<TelemetryDeps>,
  input: SeriesInput & { from: Date; to: Date; limit?: number | null | undefined },
): Promise<AfterCommit<TelemetryTable>> {
  const ref = await resolveSeries(ctx, input);
  checkRange(input.from, input.to);
  const maxRows = Math.floor(MAX_VALUES / ref.sensors.length);
  const limit = input.limit ?? maxRows;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxRows) {
    throw validation(`"limit" must be 1 to ${maxRows} rows for ${ref.sensors.length} sensor(s) (at most ${MAX_VALUES} values).`, {
      field: "limit",
      max: maxRows,
    });
  }
  const { store } = ctx.deps;
  const tenantId = ctx.principal.tenantId;
  return async () => {
    const points = await store.range(tenantId, {
      measurement: ref.measurement,
      asset: ref.externalId,
      fields: ref.sensors,
      from: input.from,
      to: input.to,
      order: "asc",
      limit,
    });
    return toTable(ref.sensors, { times: points.times, values: points.values.map((column) => column.map(asNumber)) });
  };
}

export interface AggregateInput extends SeriesInput {
  readonly from: Date;
  readonly to: Date;
  readonly windowSeconds: number;
  readonly aggregate: Aggregate;
}

/**
 * One row per window that holds data. An hour-multiple window is read from the hourly rollups
 * where they are exact (whole hours, none stale) and from the raw points elsewhere.
 */
export async function telemetryAggregate(ctx: TenantContext<TelemetryDeps>, input: AggregateInput): Promise<AfterCommit<TelemetryTable>> {
  const ref = await resolveSeries(ctx, input);
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
  const spans = (await rollupSpans(ctx, ref, input)) ?? [{ from: input.from.getTime(), to: input.to.getTime(), source: "raw" as const }];
  const { store } = ctx.deps;
  const tenantId = ctx.principal.tenantId;
  const query = {
    measurement: ref.measurement,
    asset: ref.externalId,
    fields: ref.sensors,
    windowSeconds: input.windowSeconds,
    aggregate: input.aggregate,
    spans,
  };
  return async () => toTable(ref.sensors, await store.windows(tenantId, query));
}

/** The spans of a question the rollups can answer in part; undefined when it must be read raw. */
async function rollupSpans(ctx: TenantContext<TelemetryDeps>, ref: SeriesRef, input: AggregateInput) {
  const windowMs = input.windowSeconds * 1000;
  if (
    ctx.deps.config.TELEMETRY_ROLLUP_READS !== "on" ||
    !isRolledUp(input.aggregate) ||
    windowMs % HOUR_MS !== 0 ||
    ref.booleans.length > 0
  )
    return undefined;
  // A range shorter than a window's hour cannot hold a whole hour.
  if (input.to.getTime() - input.from.getTime() < HOUR_MS) return undefined;
  const dirty = await dirtyHoursIn(ctx.tx, {
    tenantId: ctx.principal.tenantId,
    measurement: ref.measurement,
    from: input.from,
    to: input.to,
  });
  const spans = planSpans(input.from.getTime(), input.to.getTime(), windowMs, dirty);
  if (!spans.some((s) => s.rollup) || spans.length > MAX_SPANS) return undefined;
  return spans.map((s) => ({ from: s.from, to: s.to, source: s.rollup ? ("rollup" as const) : ("raw" as const) }));
}

export interface LatestValue {
  readonly sensor: string;
  readonly time: Date;
  readonly value: number | null;
}

/** The last value of each sensor, each with its own time. */
export async function latestTelemetry(ctx: TenantContext<TelemetryDeps>, input: SeriesInput): Promise<AfterCommit<LatestValue[]>> {
  const ref = await resolveSeries(ctx, input);
  const { store } = ctx.deps;
  const tenantId = ctx.principal.tenantId;
  return async () => {
    const latest = await store.latest(tenantId, { measurement: ref.measurement, asset: ref.externalId, fields: ref.sensors });
    return ref.sensors.flatMap((sensor, i) => {
      const point = latest[i];
      return point ? [{ sensor, time: new Date(point.time), value: asNumber(point.value) }] : [];
    });
  };
}

export interface TelemetryExport {
  readonly externalId: string;
  readonly sensors: readonly string[];
  /** The raw points in time order, read from the store as the stream is consumed. */
  readonly points: AsyncIterable<StreamChunk>;
}

/** An asset's raw points in a range, for a CSV export: the store is read when `points` is consumed. */
export async function exportTelemetry(
  ctx: TenantContext<TelemetryDeps>,
  input: SeriesInput & { from: Date; to: Date; chunkRows: number },
): Promise<TelemetryExport> {
  checkRange(input.from, input.to);
  const ref = await resolveSeries(ctx, input);
  // A lazy stream: the store is asked once the response reads it, after the transaction ended.
  const points = ctx.deps.store.stream(ctx.principal.tenantId, {
    measurement: ref.measurement,
    fields: ref.sensors,
    assets: [ref.externalId],
    from: input.from,
    to: input.to,
    chunkRows: input.chunkRows,
  });
  return { externalId: ref.externalId, sensors: ref.sensors, points };
}
