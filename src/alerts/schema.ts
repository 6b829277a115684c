import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { assets, assetTypes } from "../assets/schema.js";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";

export const ALERT_KINDS = ["rul_low", "anomaly"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
/** What became of a webhook delivery's last attempt (src/outbound/post.ts). */
export const DELIVERY_OUTCOMES = ["DELIVERED", "REDIRECTED", "REJECTED", "FAILED", "TIMEOUT", "UNREACHABLE", "BLOCKED_ADDRESS"] as const;
export const ALERT_STATUSES = ["open", "acknowledged", "resolved"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** When an asset type's predictions raise an alert: the tenant's own thresholds. */
export const alertRules = pgTable(
  "alert_rules",
  {
    tenantId: tenantId(),
    assetTypeId: text("asset_type_id").notNull(),
    /** An alert when the predicted remaining life falls below this many cycles; null: none. */
    rulBelow: doublePrecision("rul_below"),
    /** An alert when an anomaly score crosses its model's threshold. */
    anomaly: boolean("anomaly").notNull().default(false),
    updatedAt: timestampTz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.assetTypeId] }),
    foreignKey({ columns: [t.tenantId, t.assetTypeId], foreignColumns: [assetTypes.tenantId, assetTypes.id] }).onDelete("cascade"),
  ],
);

/**
 * One episode of a condition on an asset: raised once, then acknowledged by a person, and
 * resolved when a later prediction no longer meets the condition. At most one unresolved alert
 * per asset and kind.
 */
export const alerts = pgTable(
  "alerts",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    assetId: text("asset_id").notNull(),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    status: text("status", { enum: ALERT_STATUSES }).notNull().default("open"),
    /** The predicted value that raised it (remaining cycles, or the anomaly score) and the threshold. */
    value: doublePrecision("value").notNull(),
    threshold: doublePrecision("threshold").notNull(),
    predictionId: text("prediction_id").notNull(),
    explanation: jsonb("explanation").$type<Record<string, unknown>>().notNull(),
    openedAt: createdAt(),
    acknowledgedAt: timestampTz("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
    resolvedAt: timestampTz("resolved_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.assetId], foreignColumns: [assets.tenantId, assets.id] }).onDelete("cascade"),
    uniqueIndex("alerts_one_unresolved_key").on(t.tenantId, t.assetId, t.kind).where(sql`${t.status} <> 'resolved'`),
    index("alerts_status_idx").on(t.tenantId, t.status, t.id),
    check("alerts_kind_valid", sql`${t.kind} in ('rul_low','anomaly')`),
    check("alerts_status_valid", sql`${t.status} in ('open','acknowledged','resolved')`),
  ],
);

/** Where a tenant wants its alerts POSTed, signed with the webhook's own secret. */
export const webhooks = pgTable(
  "webhooks",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    url: text("url").notNull(),
    /** The signing secret, encrypted (AES-256-GCM) with the platform's key-encryption secret. */
    secretSealed: text("secret_sealed").notNull(),
    createdAt: createdAt(),
    disabledAt: timestampTz("disabled_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Each alert's delivery to each webhook: attempts and the outcome. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    tenantId: tenantId(),
    webhookId: text("webhook_id").notNull(),
    alertId: text("alert_id").notNull(),
    status: text("status", { enum: ["pending", "delivered", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** The last attempt's outcome class: the one thing the tenant is shown. */
    lastOutcome: text("last_outcome", { enum: DELIVERY_OUTCOMES }),
    /** For support only: the status of a contacted (public or allowed) target, and a short error code. */
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: timestampTz("delivered_at"),
    updatedAt: timestampTz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.webhookId, t.alertId] }),
    foreignKey({ columns: [t.tenantId, t.webhookId], foreignColumns: [webhooks.tenantId, webhooks.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.alertId], foreignColumns: [alerts.tenantId, alerts.id] }).onDelete("cascade"),
    index("webhook_deliveries_alert_idx").on(t.tenantId, t.alertId),
    check(
      "webhook_deliveries_last_outcome_valid",
      sql`${t.lastOutcome} in ('DELIVERED','REDIRECTED','REJECTED','FAILED','TIMEOUT','UNREACHABLE','BLOCKED_ADDRESS')`,
    ),
  ],
);

/**
 * The test events sent to a webhook on request (`sendTestWebhook`): one signed attempt each, with
 * its outcome and the receiver's status code, for the webhook's delivery log.
 */
export const webhookTestDeliveries = pgTable(
  "webhook_test_deliveries",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    webhookId: text("webhook_id").notNull(),
    outcome: text("outcome", { enum: DELIVERY_OUTCOMES }).notNull(),
    /** The status a contacted (public or allowed) receiver answered; null when none answered. */
    statusCode: integer("status_code"),
    sentBy: text("sent_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.webhookId], foreignColumns: [webhooks.tenantId, webhooks.id] }).onDelete("cascade"),
    index("webhook_test_deliveries_webhook_idx").on(t.tenantId, t.webhookId, t.createdAt),
    check(
      "webhook_test_deliveries_outcome_valid",
      sql`${t.outcome} in ('DELIVERED','REDIRECTED','REJECTED','FAILED','TIMEOUT','UNREACHABLE','BLOCKED_ADDRESS')`,
    ),
  ],
);
