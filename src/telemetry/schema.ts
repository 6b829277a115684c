import { sql } from "drizzle-orm";
import { bigint, check, foreignKey, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { assets, devices } from "../assets/schema.js";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";
import { tenants } from "../db/tenants.js";

/**
 * Points accepted per asset and hour, and when the asset last delivered: the fleet overview
 * reads this instead of scanning telemetry. Written in the ingest's ledger transaction.
 */
export const assetActivity = pgTable(
  "asset_activity",
  {
    tenantId: tenantId(),
    assetId: text("asset_id").notNull(),
    hour: timestampTz("hour").notNull(),
    points: bigint("points", { mode: "number" }).notNull(),
    lastSeenAt: timestampTz("last_seen_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.assetId, t.hour] }),
    foreignKey({ columns: [t.tenantId, t.assetId], foreignColumns: [assets.tenantId, assets.id] }).onDelete("cascade"),
    index("asset_activity_hour_idx").on(t.tenantId, t.hour),
  ],
);

/** The series a tenant has written (a hash of measurement + sorted tag set), counted at the door of ingest. */
export const telemetrySeries = pgTable(
  "telemetry_series",
  {
    tenantId: tenantId(),
    seriesHash: text("series_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.seriesHash] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
  ],
);

/** How many rows of telemetry_series a tenant has: the number checked against its series budget. */
export const telemetrySeriesCounts = pgTable(
  "telemetry_series_counts",
  {
    tenantId: tenantId().primaryKey(),
    series: bigint("series", { mode: "number" }).notNull(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    check("telemetry_series_counts_non_negative", sql`${t.series} >= 0`),
  ],
);

/**
 * Hours of a measurement whose hourly rollups may be stale: a range of whole hours (`first_hour` to
 * `last_hour`, both the start of an hour) inserted by every ingest batch after its write, and
 * deleted by the rollup step once it recomputed them. Rows are only inserted and deleted, never
 * updated, so a batch that lands while its hour is recomputed leaves a row of its own behind.
 */
export const telemetryDirtyHours = pgTable(
  "telemetry_dirty_hours",
  {
    tenantId: tenantId(),
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity(),
    measurement: text("measurement").notNull(),
    firstHour: timestampTz("first_hour").notNull(),
    lastHour: timestampTz("last_hour").notNull(),
    markedAt: timestampTz("marked_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    index("telemetry_dirty_hours_measurement_idx").on(t.tenantId, t.measurement, t.firstHour),
    check("telemetry_dirty_hours_order", sql`${t.firstHour} <= ${t.lastHour}`),
  ],
);

/**
 * What the ingest path saw of each device: batches and points accepted and refused, when it last
 * wrote over each protocol, and its last refusal. One row per device, upserted with increments:
 * by an accepted batch as the last statement of its ledger transaction, by a refused one on its own.
 */
export const deviceDiagnostics = pgTable(
  "device_diagnostics",
  {
    tenantId: tenantId(),
    deviceId: text("device_id").notNull(),
    acceptedBatches: bigint("accepted_batches", { mode: "number" }).notNull().default(0),
    acceptedPoints: bigint("accepted_points", { mode: "number" }).notNull().default(0),
    refusedBatches: bigint("refused_batches", { mode: "number" }).notNull().default(0),
    refusedPoints: bigint("refused_points", { mode: "number" }).notNull().default(0),
    lastHttpAt: timestampTz("last_http_at"),
    lastMqttAt: timestampTz("last_mqtt_at"),
    lastRefusedAt: timestampTz("last_refused_at"),
    lastRefusalProtocol: text("last_refusal_protocol"),
    lastRefusalCode: text("last_refusal_code"),
    lastRefusalMessage: text("last_refusal_message"),
    lastRefusalLine: integer("last_refusal_line"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.deviceId] }),
    foreignKey({ columns: [t.tenantId, t.deviceId], foreignColumns: [devices.tenantId, devices.id] }).onDelete("cascade"),
    check("device_diagnostics_protocol_valid", sql`${t.lastRefusalProtocol} in ('http','mqtt')`),
  ],
);
