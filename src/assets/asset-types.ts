import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import type { TenantContext } from "../core/context.js";
import { conflict, notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { isUniqueViolation } from "../db/client.js";
import { assetTypes, type SensorValueType, sensors } from "./schema.js";

export type Sensor = Omit<typeof sensors.$inferSelect, "tenantId">;
export type AssetType = Omit<typeof assetTypes.$inferSelect, "tenantId"> & { readonly sensors: readonly Sensor[] };

export interface SensorInput {
  readonly key: string;
  readonly valueType?: SensorValueType | null | undefined;
  readonly unit?: string | null | undefined;
  readonly description?: string | null | undefined;
}

const TYPE_KEY = /^[a-z][a-z0-9_]{0,62}$/;
const SENSOR_KEY = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;
export const MAX_SENSORS_PER_TYPE = 500;
/** `asset` is the tag telemetry is filed under, `time` is InfluxDB's own column. */
const RESERVED_KEYS = new Set(["asset", "time"]);

function checkSensors(input: readonly SensorInput[]): SensorInput[] {
  if (input.length > MAX_SENSORS_PER_TYPE)
    throw validation(`An asset type has at most ${MAX_SENSORS_PER_TYPE} sensors.`, { field: "sensors" });
  const seen = new Set<string>();
  for (const s of input) {
    if (!SENSOR_KEY.test(s.key)) {
      throw validation(`Sensor key "${s.key}" must start with a letter and hold only letters, digits and _ (at most 63).`, {
        field: "sensors",
      });
    }
    if (seen.has(s.key)) throw validation(`Sensor key "${s.key}" is listed twice.`, { field: "sensors" });
    if (RESERVED_KEYS.has(s.key.toLowerCase()))
      throw validation(`Sensor key "${s.key}" is reserved; choose another name.`, { field: "sensors" });
    seen.add(s.key);
  }
  return [...input];
}

async function insertSensors(ctx: TenantContext, assetTypeId: string, input: readonly SensorInput[]): Promise<void> {
  if (input.length === 0) return;
  await ctx.tx.insert(sensors).values(
    input.map((s) => ({
      tenantId: ctx.principal.tenantId,
      id: newId("sensor"),
      assetTypeId,
      key: s.key,
      valueType: s.valueType ?? "float",
      unit: s.unit ?? "",
      description: s.description ?? "",
    })),
  );
}

async function sensorsOf(ctx: TenantContext, typeIds: readonly string[]): Promise<Map<string, Sensor[]>> {
  const byType = new Map<string, Sensor[]>(typeIds.map((id) => [id, []]));
  if (typeIds.length === 0) return byType;
  const rows = await ctx.tx
    .select()
    .from(sensors)
    .where(and(eq(sensors.tenantId, ctx.principal.tenantId), inArray(sensors.assetTypeId, [...typeIds])))
    .orderBy(asc(sensors.id));
  for (const { tenantId: _, ...row } of rows) byType.get(row.assetTypeId)?.push(row);
  return byType;
}

export async function createAssetType(
  ctx: TenantContext,
  input: { key: string; name: string; description?: string | null | undefined; sensors: readonly SensorInput[] },
): Promise<AssetType> {
  if (!TYPE_KEY.test(input.key)) {
    throw validation("The type key must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 63).", { field: "key" });
  }
  const name = input.name.trim();
  if (name.length < 1 || name.length > 120) throw validation("The name must be 1 to 120 characters long.", { field: "name" });
  const sensorInput = checkSensors(input.sensors);
  const tenantId = ctx.principal.tenantId;
  const id = newId("assetType");
  try {
    await ctx.tx.insert(assetTypes).values({ tenantId, id, key: input.key, name, description: input.description ?? "" });
  } catch (error) {
    if (isUniqueViolation(error, "asset_types_tenant_key_key"))
      throw conflict(`An asset type with key "${input.key}" exists already.`, { field: "key" });
    throw error;
  }
  await insertSensors(ctx, id, sensorInput);
  await recordAudit(ctx, {
    action: "asset_type.created",
    targetType: "asset_type",
    targetId: id,
    data: { key: input.key, sensors: sensorInput.length },
  });
  return getAssetType(ctx, id);
}

export async function addSensors(ctx: TenantContext, input: { assetTypeId: string; sensors: readonly SensorInput[] }): Promise<AssetType> {
  const type = await getAssetType(ctx, input.assetTypeId);
  const sensorInput = checkSensors(input.sensors);
  if (sensorInput.length === 0) throw validation("Give at least one sensor.", { field: "sensors" });
  if (type.sensors.length + sensorInput.length > MAX_SENSORS_PER_TYPE) {
    throw validation(`An asset type has at most ${MAX_SENSORS_PER_TYPE} sensors.`, { field: "sensors" });
  }
  const existing = sensorInput.filter((s) => type.sensors.some((t) => t.key === s.key));
  if (existing.length > 0) throw conflict(`Sensor(s) exist already: ${existing.map((s) => s.key).join(", ")}.`, { field: "sensors" });
  await insertSensors(ctx, type.id, sensorInput);
  await recordAudit(ctx, {
    action: "asset_type.sensors_added",
    targetType: "asset_type",
    targetId: type.id,
    data: { keys: sensorInput.map((s) => s.key) },
  });
  return getAssetType(ctx, type.id);
}

export async function getAssetType(ctx: TenantContext, id: string): Promise<AssetType> {
  const [row] = await ctx.tx
    .select()
    .from(assetTypes)
    .where(and(eq(assetTypes.tenantId, ctx.principal.tenantId), eq(assetTypes.id, id)));
  if (!row) throw notFound("Asset type", id);
  const { tenantId: _, ...type } = row;
  return { ...type, sensors: (await sensorsOf(ctx, [id])).get(id) ?? [] };
}

export async function listAssetTypes(ctx: TenantContext, page: PageRequest): Promise<Page<AssetType>> {
  const tenant = eq(assetTypes.tenantId, ctx.principal.tenantId);
  const rows = await ctx.tx
    .select()
    .from(assetTypes)
    .where(page.afterKey ? and(tenant, gt(assetTypes.id, page.afterKey)) : tenant)
    .orderBy(asc(assetTypes.id))
    .limit(page.first + 1);
  const shown = rows.slice(0, page.first);
  const byType = await sensorsOf(
    ctx,
    shown.map((r) => r.id),
  );
  const withSensors = rows.map(({ tenantId: _, ...r }) => ({ ...r, sensors: byType.get(r.id) ?? [] }));
  return toPage<AssetType>(withSensors, page, (r) => r.id);
}
