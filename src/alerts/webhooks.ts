import { and, asc, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import { createKeyCipher } from "../auth/index.js";
import type { TenantContext } from "../core/context.js";
import { notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { checkOutboundUrl, outboundPolicy } from "../outbound/index.js";
import { getAlert } from "./alerts.js";
import type { AlertsDeps } from "./deps.js";
import { webhookDeliveries, webhooks } from "./schema.js";
import { newSigningSecret } from "./signing.js";

export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly createdAt: Date;
  readonly disabledAt: Date | null;
}

export const MAX_WEBHOOKS = 10;
const columns = { id: webhooks.id, url: webhooks.url, createdAt: webhooks.createdAt, disabledAt: webhooks.disabledAt };

/**
 * Registers a webhook; its signing secret (Standard Webhooks' `whsec_<base64>`, see signing.ts) is
 * returned this once and stored encrypted. The URL must
 * pass the platform's outbound rules (https, a public host: see src/outbound/). Audited.
 */
export async function createWebhook(ctx: TenantContext<AlertsDeps>, input: { url: string }): Promise<{ webhook: Webhook; secret: string }> {
  const url = checkOutboundUrl(outboundPolicy(ctx.deps.config), input.url).href;
  const live = await listWebhooks(ctx);
  if (live.length >= MAX_WEBHOOKS)
    throw validation(`A tenant may have at most ${MAX_WEBHOOKS} webhooks; delete one first.`, { field: "url" });
  const secret = newSigningSecret();
  const [row] = await ctx.tx
    .insert(webhooks)
    .values({
      tenantId: ctx.principal.tenantId,
      id: newId("webhook"),
      url,
      secretSealed: createKeyCipher(ctx.deps.config.AUTH_KEY_ENCRYPTION_SECRET).encrypt(secret),
    })
    .returning(columns);
  if (!row) throw new Error("The webhook was not stored");
  await recordAudit(ctx, { action: "webhook.create", targetType: "webhook", targetId: row.id, data: { url } });
  return { webhook: row, secret };
}

/** The tenant's live webhooks, oldest first. */
export async function listWebhooks(ctx: TenantContext): Promise<Webhook[]> {
  return ctx.tx
    .select(columns)
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, ctx.principal.tenantId), isNull(webhooks.disabledAt)))
    .orderBy(asc(webhooks.id));
}

/** Stops deliveries to a webhook (kept, disabled, for the deliveries' history). Audited. */
export async function disableWebhook(ctx: TenantContext, id: string): Promise<Webhook> {
  const [row] = await ctx.tx
    .update(webhooks)
    .set({ disabledAt: new Date() })
    .where(and(eq(webhooks.tenantId, ctx.principal.tenantId), eq(webhooks.id, id), isNull(webhooks.disabledAt)))
    .returning(columns);
  if (!row) throw notFound("Webhook", id);
  await recordAudit(ctx, { action: "webhook.disable", targetType: "webhook", targetId: id });
  return row;
}

/** What the tenant sees of a delivery: the outcome class, not the target's status or error. */
export type WebhookDelivery = Pick<
  typeof webhookDeliveries.$inferSelect,
  "webhookId" | "alertId" | "status" | "attempts" | "lastOutcome" | "deliveredAt"
>;

/** An alert's deliveries to the webhooks; NOT_FOUND when the alert is not the tenant's. */
export async function deliveriesOf(ctx: TenantContext, alertId: string): Promise<WebhookDelivery[]> {
  await getAlert(ctx, alertId);
  return ctx.tx
    .select({
      webhookId: webhookDeliveries.webhookId,
      alertId: webhookDeliveries.alertId,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastOutcome: webhookDeliveries.lastOutcome,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, ctx.principal.tenantId), eq(webhookDeliveries.alertId, alertId)))
    .orderBy(asc(webhookDeliveries.webhookId));
}
