import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { MEMBER_ROLES } from "../core/roles.js";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";
import { tenants } from "../db/tenants.js";

export { MEMBER_ROLES, type MemberRole } from "../core/roles.js";
export { tenants } from "../db/tenants.js";

/** People. A user may belong to several tenants; RLS shows a user only inside their tenants. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email), check("users_email_lower", sql`${t.email} = lower(${t.email})`)],
);

export const memberships = pgTable(
  "memberships",
  {
    tenantId: tenantId(),
    userId: text("user_id").notNull(),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    index("memberships_user_idx").on(t.userId),
    check("memberships_role_valid", sql`${t.role} in ('owner','admin','engineer','viewer','finance')`),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    email: text("email").notNull(),
    role: text("role", { enum: MEMBER_ROLES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").notNull(),
    expiresAt: timestampTz("expires_at").notNull(),
    acceptedAt: timestampTz("accepted_at"),
    revokedAt: timestampTz("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("invitations_token_hash_key").on(t.tokenHash),
    index("invitations_tenant_email_idx").on(t.tenantId, t.email),
    check("invitations_role_valid", sql`${t.role} in ('owner','admin','engineer','viewer','finance')`),
  ],
);
