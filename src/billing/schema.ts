import { bigint, date, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";
import { tenants } from "../tenancy/schema.js";

export const METERS = ["points_ingested", "predictions", "training_runs"] as const;
export type Meter = (typeof METERS)[number];

/**
 * Append-only usage: one row per billed piece of work, written in the same transaction as the
 * work where there is one. The idempotency key makes a retried request count once.
 */
export const usageLedger = pgTable(
  "usage_ledger",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    meter: text("meter", { enum: METERS }).notNull(),
    quantity: bigint("quantity", { mode: "number" }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    source: text("source").notNull(),
    occurredAt: timestampTz("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("usage_ledger_idempotency_key").on(t.tenantId, t.idempotencyKey),
    index("usage_ledger_meter_time_idx").on(t.tenantId, t.meter, t.occurredAt),
  ],
);

/** Running total per tenant, meter and UTC day, kept in the ledger's transaction: quotas read it. */
export const usageDaily = pgTable(
  "usage_daily",
  {
    tenantId: tenantId(),
    meter: text("meter", { enum: METERS }).notNull(),
    day: date("day", { mode: "string" }).notNull(),
    quantity: bigint("quantity", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.meter, t.day] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
  ],
);
