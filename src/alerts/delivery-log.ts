import { and, desc, eq } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { notFound, validation } from "../core/errors.js";
import { alerts, type DELIVERY_OUTCOMES, webhookDeliveries, webhooks, webhookTestDeliveries } from "./schema.js";

/** One row of a webhook's delivery log: an alert's delivery (with its retries) or a test event. */
export interface WebhookLogEntry {
  /** The `webhook-id` header the receiver got: `<alert id>:<webhook id>`, or the test event's id. */
  readonly id: string;
  readonly webhookId: string;
  readonly event: "ALERT_RAISED" | "TEST";
  readonly alertId: string | null;
  readonly status: "PENDING" | "DELIVERED" | "FAILED";
  readonly attempts: number;
  readonly lastOutcome: (typeof DELIVERY_OUTCOMES)[number] | null;
  readonly statusCode: number | null;
  /** When the alert was raised, or the test event sent. */
  readonly createdAt: Date;
  readonly lastAttemptAt: Date | null;
  readonly deliveredAt: Date | null;
}

export const MAX_LOG_ENTRIES = 50;

/**
 * A webhook's latest deliveries, newest first: alert deliveries by when their alert was raised,
 * test events by when they were sent. The webhook may be disabled (its history stays);
 * another tenant's id answers NOT_FOUND.
 */
export async function webhookLog(ctx: TenantContext, input: { webhookId: string; first?: number }): Promise<WebhookLogEntry[]> {
  const first = input.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_LOG_ENTRIES)
    throw validation(`first must be 1 to ${MAX_LOG_ENTRIES}.`, { field: "first" });
  const tenant = ctx.principal.tenantId;
  const [hook] = await ctx.tx
    .select({ id: webhooks.id })
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, tenant), eq(webhooks.id, input.webhookId)));
  if (!hook) throw notFound("Webhook", input.webhookId);
  const alertRows = await ctx.tx
    .select({
      alertId: webhookDeliveries.alertId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastOutcome: webhookDeliveries.lastOutcome,
      statusCode: webhookDeliveries.lastStatusCode,
      updatedAt: webhookDeliveries.updatedAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      raisedAt: alerts.openedAt,
    })
    .from(webhookDeliveries)
    .innerJoin(alerts, and(eq(alerts.tenantId, webhookDeliveries.tenantId), eq(alerts.id, webhookDeliveries.alertId)))
    .where(and(eq(webhookDeliveries.tenantId, tenant), eq(webhookDeliveries.webhookId, input.webhookId)))
    .orderBy(desc(alerts.openedAt))
    .limit(first);
  const testRows = await ctx.tx
    .select({
      id: webhookTestDeliveries.id,
      outcome: webhookTestDeliveries.outcome,
      statusCode: webhookTestDeliveries.statusCode,
      createdAt: webhookTestDeliveries.createdAt,
    })
    .from(webhookTestDeliveries)
    .where(and(eq(webhookTestDeliveries.tenantId, tenant), eq(webhookTestDeliveries.webhookId, input.webhookId)))
    .orderBy(desc(webhookTestDeliveries.createdAt))
    .limit(first);
  const entries: WebhookLogEntry[] = [
    ...alertRows.map((r) => ({
      id: `${r.alertId}:${input.webhookId}`,
      webhookId: input.webhookId,
      event: "ALERT_RAISED" as const,
      alertId: r.alertId,
      status: r.status.toUpperCase() as WebhookLogEntry["status"],
      attempts: r.attempts,
      lastOutcome: r.lastOutcome,
      statusCode: r.statusCode,
      createdAt: r.raisedAt,
      lastAttemptAt: r.attempts > 0 ? r.updatedAt : null,
      deliveredAt: r.deliveredAt,
    })),
    ...testRows.map((r) => ({
      id: r.id,
      webhookId: input.webhookId,
      event: "TEST" as const,
      alertId: null,
      status: r.outcome === "DELIVERED" ? ("DELIVERED" as const) : ("FAILED" as const),
      attempts: 1,
      lastOutcome: r.outcome,
      statusCode: r.statusCode,
      createdAt: r.createdAt,
      lastAttemptAt: r.createdAt,
      deliveredAt: r.outcome === "DELIVERED" ? r.createdAt : null,
    })),
  ];
  return entries.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, first);
}
