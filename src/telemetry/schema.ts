import { bigint, foreignKey, index, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { assets } from "../assets/schema.js";
import { tenantId, timestampTz } from "../db/columns.js";

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
