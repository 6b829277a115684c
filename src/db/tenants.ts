import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

/**
 * The tenant root, which every tenant-owned table references: part of the data platform, below
 * every capability. Its own id is the tenant key; RLS shows a tenant only itself.
 */
export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  status: text("status").notNull().default("active"),
  /** How long telemetry is kept; the tenant's InfluxDB retention policy follows it. */
  retentionDays: integer("retention_days").notNull().default(365),
  /** Points accepted per UTC day; null means no limit. */
  dailyPointQuota: bigint("daily_point_quota", { mode: "number" }),
  createdAt: createdAt(),
});
