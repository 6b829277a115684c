import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import { assets, assetTypes, deviceAssets, type SensorValueType, sensors } from "./schema.js";

/** The part of a tenant context these lookups use: the tenant's transaction (RLS) and its id. */
export interface TenantScope {
  readonly tx: Tx;
  readonly principal: { readonly tenantId: string };
}

/** An asset as its telemetry is stored: its external id (the series tag), its type's key (the measurement) and the type's sensors. */
export interface AssetSeries {
  readonly externalId: string;
  readonly typeKey: string;
  /** In the order the type declared them. */
  readonly sensors: readonly string[];
  readonly booleans: readonly string[];
}

/** The asset's telemetry identity, in one query; undefined when the tenant has no such asset. */
export async function assetSeries(ctx: TenantScope, assetId: string): Promise<AssetSeries | undefined> {
  const tenantId = ctx.principal.tenantId;
  const [row] = await ctx.tx
    .select({
      externalId: assets.externalId,
      typeKey: assetTypes.key,
      known: sql<string[] | null>`array_agg(${sensors.key} order by ${sensors.id}) filter (where ${sensors.key} is not null)`,
      booleans: sql<string[] | null>`array_agg(${sensors.key}) filter (where ${sensors.valueType} = 'boolean')`,
    })
    .from(assets)
    .innerJoin(assetTypes, and(eq(assetTypes.tenantId, assets.tenantId), eq(assetTypes.id, assets.assetTypeId)))
    .leftJoin(sensors, and(eq(sensors.tenantId, assetTypes.tenantId), eq(sensors.assetTypeId, assetTypes.id)))
    .where(and(eq(assets.tenantId, tenantId), eq(assets.id, assetId)))
    .groupBy(assets.externalId, assetTypes.key);
  if (!row) return undefined;
  return { externalId: row.externalId, typeKey: row.typeKey, sensors: row.known ?? [], booleans: row.booleans ?? [] };
}

/** Whether the tenant has an asset with this external id. */
export async function hasAssetWithExternalId(ctx: TenantScope, externalId: string): Promise<boolean> {
  const tenantId = ctx.principal.tenantId;
  const [own] = await ctx.tx
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), eq(assets.externalId, externalId)));
  return own !== undefined;
}

/** One row per asset a device may write for and sensor of its type (a type without sensors: one row, sensor null). */
export interface DeviceTargetRow {
  readonly assetId: string;
  readonly externalId: string;
  readonly typeKey: string;
  readonly sensor: string | null;
  readonly valueType: SensorValueType | null;
}

export async function deviceTargets(ctx: TenantScope, deviceId: string): Promise<DeviceTargetRow[]> {
  const tenantId = ctx.principal.tenantId;
  return ctx.tx
    .select({
      assetId: assets.id,
      externalId: assets.externalId,
      typeKey: assetTypes.key,
      sensor: sensors.key,
      valueType: sensors.valueType,
    })
    .from(deviceAssets)
    .innerJoin(assets, and(eq(assets.tenantId, deviceAssets.tenantId), eq(assets.id, deviceAssets.assetId)))
    .innerJoin(assetTypes, and(eq(assetTypes.tenantId, assets.tenantId), eq(assetTypes.id, assets.assetTypeId)))
    .leftJoin(sensors, and(eq(sensors.tenantId, assetTypes.tenantId), eq(sensors.assetTypeId, assetTypes.id)))
    .where(and(eq(deviceAssets.tenantId, tenantId), eq(deviceAssets.deviceId, deviceId)));
}

/** The numeric sensors of the type with this key, sorted (booleans have no min, max or sum). */
export async function numericSensorKeys(ctx: TenantScope, typeKey: string): Promise<string[]> {
  const tenantId = ctx.principal.tenantId;
  const rows = await ctx.tx
    .select({ key: sensors.key })
    .from(sensors)
    .innerJoin(assetTypes, and(eq(assetTypes.tenantId, sensors.tenantId), eq(assetTypes.id, sensors.assetTypeId)))
    .where(and(eq(sensors.tenantId, tenantId), eq(assetTypes.key, typeKey), inArray(sensors.valueType, ["float", "integer"])))
    .orderBy(sensors.key);
  return rows.map((r) => r.key);
}
