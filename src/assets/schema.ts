import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";
import { tenants } from "../db/tenants.js";

export const SENSOR_VALUE_TYPES = ["float", "integer", "boolean"] as const;
export type SensorValueType = (typeof SENSOR_VALUE_TYPES)[number];

/** What kind of machine an asset is; its key is the measurement its telemetry is written to. */
export const assetTypes = pgTable(
  "asset_types",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("asset_types_tenant_key_key").on(t.tenantId, t.key),
    check("asset_types_key_format", sql`${t.key} ~ '^[a-z][a-z0-9_]{0,62}$'`),
  ],
);

/** The sensors (and operating settings) an asset of a type carries: the fields it may write. */
export const sensors = pgTable(
  "sensors",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    assetTypeId: text("asset_type_id").notNull(),
    key: text("key").notNull(),
    /** How values are stored: InfluxDB keeps one type per field. */
    valueType: text("value_type", { enum: SENSOR_VALUE_TYPES }).notNull().default("float"),
    unit: text("unit").notNull().default(""),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.assetTypeId], foreignColumns: [assetTypes.tenantId, assetTypes.id] }).onDelete("cascade"),
    uniqueIndex("sensors_type_key_key").on(t.tenantId, t.assetTypeId, t.key),
    check("sensors_key_format", sql`${t.key} ~ '^[A-Za-z][A-Za-z0-9_]{0,62}$'`),
    check("sensors_value_type_valid", sql`${t.valueType} in ('float','integer','boolean')`),
  ],
);

/** Sites, machines, components: a tree of any depth. The external id is the customer's own. */
export const assets = pgTable(
  "assets",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    assetTypeId: text("asset_type_id").notNull(),
    parentId: text("parent_id"),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.assetTypeId], foreignColumns: [assetTypes.tenantId, assetTypes.id] }),
    foreignKey({ columns: [t.tenantId, t.parentId], foreignColumns: [t.tenantId, t.id] }),
    uniqueIndex("assets_tenant_external_id_key").on(t.tenantId, t.externalId),
    index("assets_type_idx").on(t.tenantId, t.assetTypeId),
    index("assets_parent_idx").on(t.tenantId, t.parentId),
    /** The fleet overview's NAME order. */
    index("assets_name_idx").on(t.tenantId, sql`lower(${t.name})`, t.id),
    check("assets_external_id_format", sql`${t.externalId} ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$'`),
  ],
);

/** Gateways that write telemetry for a set of assets. */
export const devices = pgTable(
  "devices",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
  ],
);

export const deviceAssets = pgTable(
  "device_assets",
  {
    tenantId: tenantId(),
    deviceId: text("device_id").notNull(),
    assetId: text("asset_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.deviceId, t.assetId] }),
    foreignKey({ columns: [t.tenantId, t.deviceId], foreignColumns: [devices.tenantId, devices.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.assetId], foreignColumns: [assets.tenantId, assets.id] }).onDelete("cascade"),
    index("device_assets_asset_idx").on(t.tenantId, t.assetId),
  ],
);

/** A device's credentials: only a hash is stored; several may be live while a device rotates. */
export const deviceTokens = pgTable(
  "device_tokens",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    deviceId: text("device_id").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestampTz("last_used_at"),
    revokedAt: timestampTz("revoked_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.deviceId], foreignColumns: [devices.tenantId, devices.id] }).onDelete("cascade"),
    uniqueIndex("device_tokens_prefix_key").on(t.prefix),
    index("device_tokens_device_idx").on(t.tenantId, t.deviceId),
  ],
);
