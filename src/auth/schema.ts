import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";
import { tenants } from "../db/tenants.js";

/** Partner API keys: only a hash of the secret is stored; the secret is shown once. */
export const apiKeys = pgTable(
  "api_keys",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestampTz("last_used_at"),
    revokedAt: timestampTz("revoked_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("api_keys_prefix_key").on(t.prefix),
  ],
);

/**
 * Token signing keys (platform-wide). Private keys are stored encrypted; the application role
 * reaches this table only through security-definer functions.
 */
export const signingKeys = pgTable(
  "signing_keys",
  {
    id: text("id").primaryKey(),
    alg: text("alg").notNull(),
    publicJwk: jsonb("public_jwk").$type<Record<string, unknown>>().notNull(),
    privateJwkEncrypted: text("private_jwk_encrypted").notNull(),
    createdAt: createdAt(),
    retireAt: timestampTz("retire_at"),
  },
  (t) => [index("signing_keys_created_idx").on(t.createdAt)],
);

/** Failed sign-ins per account and window; reached only through security-definer functions. */
export const authThrottle = pgTable("auth_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: timestampTz("window_start").notNull(),
});
