import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { OPERATOR_ROLES } from "../core/roles.js";
import { createdAt, timestampTz } from "../db/columns.js";

export { OPERATOR_ROLES, type OperatorRole } from "../core/roles.js";

/** The machine maker's own staff. Platform table: only the operator database role reads it. */
export const operators = pgTable(
  "operators",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: OPERATOR_ROLES }).notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAt(),
    disabledAt: timestampTz("disabled_at"),
    /** Raised by signing out everywhere: tokens of an older generation stop working. */
    sessionGeneration: integer("session_generation").notNull().default(0),
  },
  (t) => [uniqueIndex("operators_email_key").on(t.email), check("operators_role_valid", sql`${t.role} in ('support','finance')`)],
);

/** Every cross-tenant read by an operator, with the reason given. Append-only. */
export const operatorAccessLog = pgTable(
  "operator_access_log",
  {
    id: text("id").primaryKey(),
    operatorId: text("operator_id").notNull(),
    action: text("action").notNull(),
    reason: text("reason").notNull(),
    subjectTenantId: text("subject_tenant_id"),
    requestId: text("request_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("operator_access_log_operator_idx").on(t.operatorId), index("operator_access_log_subject_idx").on(t.subjectTenantId)],
);
