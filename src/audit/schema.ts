import { foreignKey, index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt, tenantId } from "../db/columns.js";
import { tenants } from "../db/tenants.js";

/** Append-only: the application role may insert and read, never update or delete. */
export const auditLog = pgTable(
  "audit_log",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    actorKind: text("actor_kind").notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    index("audit_log_target_idx").on(t.tenantId, t.targetType, t.targetId),
  ],
);
