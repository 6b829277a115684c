import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { assets } from "../assets/schema.js";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";

export const MAINTENANCE_KINDS = ["failure", "repair", "inspection"] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

/**
 * What happened to an asset in the field. A failure ends a run-to-failure series: the cycles
 * before it are labelled with their remaining life when models are trained.
 */
export const maintenanceEvents = pgTable(
  "maintenance_events",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    assetId: text("asset_id").notNull(),
    kind: text("kind", { enum: MAINTENANCE_KINDS }).notNull(),
    occurredAt: timestampTz("occurred_at").notNull(),
    note: text("note").notNull().default(""),
    /** Who recorded it: "user:usr_…", "api_key:key_…" or "workflow:…". */
    recordedBy: text("recorded_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.assetId], foreignColumns: [assets.tenantId, assets.id] }).onDelete("cascade"),
    index("maintenance_events_asset_time_idx").on(t.tenantId, t.assetId, t.occurredAt),
    index("maintenance_events_time_idx").on(t.tenantId, t.occurredAt),
    check("maintenance_events_kind_valid", sql`${t.kind} in ('failure','repair','inspection')`),
  ],
);
