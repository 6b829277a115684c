import { and, asc, eq, gt, gte, type SQL, sql } from "drizzle-orm";
import { getAssetType } from "../assets/asset-types.js";
import { getAsset } from "../assets/assets.js";
import { assets } from "../assets/schema.js";
import type { TenantContext } from "../core/context.js";
import { validation } from "../core/errors.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { ident, str, timeNs } from "./influxql.js";
import { assetActivity } from "./schema.js";
import type { Series, TelemetryStore } from "./store.js";

/** Query verbs read InfluxDB too: the store comes with the tenant context. */
export interface TelemetryContext extends TenantContext {
  readonly store: TelemetryStore;
}

export const AGGREGATES = ["mean", "min", "max", "last", "count"] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** The most values (rows × sensors) one answer may hold; larger questions answer VALIDATION. */
export const MAX_VALUES = 100_000;
export const MAX_RANGE_DAYS = 3_660;
export const MIN_WINDOW_SECONDS = 1;
export const MAX_WINDOW_SECONDS = 366 * 86_400;

export interface TelemetryTable {
  readonly sensors: readonly string[];
  readonly rows: readonly { time: Date; values: (number | null)[] }[];
}

/** The asset, its measurement and the sensors asked for (all of the type's when none are named). */
export async function resolveSeries(ctx: TenantContext, input: { assetId: string; sensors?: readonly string[] | null | undefined }) {
  const asset = await getAsset(ctx, input.assetId);
  const type = await getAssetType(ctx, asset.assetTypeId);
  const known = type.sensors.map((s) => s.key);
  const wanted = input.sensors && input.sensors.length > 0 ? [...new Set(input.sensors)] : known;
  const unknown = wanted.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw validation(`Unknown sensor(s) for a ${type.key}: ${unknown.join(", ")}. Known: ${known.join(", ") || "none"}.`, {
      field: "sensors",
    });
  }
  if (wanted.length === 0) throw validation(`Asset type ${type.key} has no sensors to query.`, { field: "sensors" });
  return { asset, measurement: type.key, sensors: wanted };
}

function checkRange(from: Date, to: Date): void {
  if (!(from.getTime() < to.getTime())) throw validation('"from" must be before "to".', { field: "from" });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
    throw validation(`A range may span at most ${MAX_RANGE_DAYS} days.`, { field: "to" });
}

const asNumber = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "boolean" ? (v ? 1 : 0) : null);

function toTable(series: readonly Series[], sensors: readonly string[]): TelemetryTable {
  const rows: { time: Date; values: (number | null)[] }[] = [];
  for (const s of series) {
    const index = sensors.map((name) => s.columns.indexOf(name));
    for (const v of s.values) rows.push({ time: new Date(Number(v[0])), values: index.map((i) => (i < 0 ? null : asNumber(v[i]))) });
  }
  return { sensors, rows };
}

function where(externalId: string, from: Date, to: Date): string {
  return `"asset" = ${str(externalId)} AND time >= ${timeNs(from)} AND time < ${timeNs(to)}`;
}

export async function telemetryPoints(
  ctx: TelemetryContext,
  input: { assetId: string; sensors?: readonly string[] | null; from: Date; to: Date; limit?: number | null },
): Promise<TelemetryTable> {
  checkRange(input.from, input.to);
  const { asset, measurement, sensors } = await resolveSeries(ctx, input);
  const maxRows = Math.floor(MAX_VALUES / sensors.length);
  const limit = input.limit ?? maxRows;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxRows) {
    throw validation(`"limit" must be 1 to ${maxRows} rows for ${sensors.length} sensor(s) (at most ${MAX_VALUES} values).`, {
      field: "limit",
      max: maxRows,
    });
  }
  const q = `SELECT ${sensors.map(ident).join(", ")} FROM ${ident(measurement)} WHERE ${where(asset.externalId, input.from, input.to)} ORDER BY time ASC LIMIT ${limit}`;
  const [series = []] = await ctx.store.query(ctx.principal.tenantId, q);
  return toTable(series, sensors);
}

export async function telemetryAggregate(
  ctx: TelemetryContext,
  input: { assetId: string; sensors?: readonly string[] | null; from: Date; to: Date; windowSeconds: number; aggregate: Aggregate },
): Promise<TelemetryTable> {
  checkRange(input.from, input.to);
  if (!Number.isInteger(input.windowSeconds) || input.windowSeconds < MIN_WINDOW_SECONDS || input.windowSeconds > MAX_WINDOW_SECONDS) {
    throw validation(`"windowSeconds" must be a whole number from ${MIN_WINDOW_SECONDS} to ${MAX_WINDOW_SECONDS}.`, {
      field: "windowSeconds",
    });
  }
  const { asset, measurement, sensors } = await resolveSeries(ctx, input);
  const windows = Math.ceil((input.to.getTime() - input.from.getTime()) / (input.windowSeconds * 1000));
  if (windows * sensors.length > MAX_VALUES) {
    throw validation(
      `That is ${windows} windows × ${sensors.length} sensor(s) = ${windows * sensors.length} values; at most ${MAX_VALUES}. Use a larger window, fewer sensors or a shorter range.`,
      { field: "windowSeconds", max: MAX_VALUES },
    );
  }
  const fields = sensors.map((s) => `${input.aggregate}(${ident(s)}) AS ${ident(s)}`).join(", ");
  const q = `SELECT ${fields} FROM ${ident(measurement)} WHERE ${where(asset.externalId, input.from, input.to)} GROUP BY time(${input.windowSeconds}s) fill(none)`;
  const [series = []] = await ctx.store.query(ctx.principal.tenantId, q);
  return toTable(series, sensors);
}

export interface LatestValue {
  readonly sensor: string;
  readonly time: Date;
  readonly value: number | null;
}

/** The last value of each sensor, each with its own time (one statement per sensor, one request). */
export async function latestTelemetry(
  ctx: TelemetryContext,
  input: { assetId: string; sensors?: readonly string[] | null },
): Promise<LatestValue[]> {
  const { asset, measurement, sensors } = await resolveSeries(ctx, input);
  const statements = sensors.map(
    (s) => `SELECT last(${ident(s)}) AS "v" FROM ${ident(measurement)} WHERE "asset" = ${str(asset.externalId)}`,
  );
  const results = await ctx.store.query(ctx.principal.tenantId, statements.join("; "));
  return sensors.flatMap((sensor, i) => {
    const row = results[i]?.[0]?.values[0];
    return row ? [{ sensor, time: new Date(Number(row[0])), value: asNumber(row[1]) }] : [];
  });
}

export interface FleetEntry {
  readonly assetId: string;
  readonly externalId: string;
  readonly name: string;
  readonly assetTypeId: string;
  readonly lastSeenAt: Date | null;
  readonly pointsLastDay: number;
}

/** Per asset: when it last delivered and how many points it delivered in the last 24 hours. */
export async function fleetOverview(
  ctx: TenantContext,
  input: { page: PageRequest; assetTypeId?: string | null },
): Promise<Page<FleetEntry>> {
  const tenantId = ctx.principal.tenantId;
  const since = new Date(Math.floor((Date.now() - 86_400_000) / 3_600_000) * 3_600_000);
  const filters: SQL[] = [eq(assets.tenantId, tenantId)];
  if (input.assetTypeId) filters.push(eq(assets.assetTypeId, input.assetTypeId));
  if (input.page.afterKey) filters.push(gt(assets.id, input.page.afterKey));
  const recent = ctx.tx
    .select({
      assetId: assetActivity.assetId,
      points: sql<number>`sum(${assetActivity.points})::bigint`.as("points"),
    })
    .from(assetActivity)
    .where(and(eq(assetActivity.tenantId, tenantId), gte(assetActivity.hour, since)))
    .groupBy(assetActivity.assetId)
    .as("recent");
  const rows = await ctx.tx
    .select({
      assetId: assets.id,
      externalId: assets.externalId,
      name: assets.name,
      assetTypeId: assets.assetTypeId,
      lastSeenAt: sql<
        string | null
      >`(select max(a.last_seen_at) from ${assetActivity} a where a.tenant_id = ${assets.tenantId} and a.asset_id = ${assets.id})`,
      pointsLastDay: sql<string | null>`${recent.points}`,
    })
    .from(assets)
    .leftJoin(recent, eq(recent.assetId, assets.id))
    .where(and(...filters))
    .orderBy(asc(assets.id))
    .limit(input.page.first + 1);
  const entries = rows.map((r) => ({
    ...r,
    lastSeenAt: r.lastSeenAt === null ? null : new Date(r.lastSeenAt),
    pointsLastDay: Number(r.pointsLastDay ?? 0),
  }));
  return toPage(entries, input.page, (r) => r.assetId);
}
