import { and, count, eq, gt } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import { createKeyCipher } from "../auth/index.js";
import { actorOf, type TenantContext } from "../core/context.js";
import { AppError, notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type OutboundResult, outboundPolicy, postOutbound } from "../outbound/index.js";
import type { WebhookLogEntry } from "./delivery-log.js";
import type { AlertsDeps } from "./deps.js";
import { webhooks, webhookTestDeliveries } from "./schema.js";
import { signedHeaders } from "./signing.js";

/** Test events a webhook may be sent per window: enough to try a receiver, too few to use the platform as a load generator. */
export const TEST_EVENTS_PER_WINDOW = 5;
const WINDOW_SECONDS = 60;

/** A test event, signed and ready to send: the body names it as a test, never an alert. */
export interface PreparedTestEvent {
  readonly id: string;
  readonly webhookId: string;
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/**
 * Checks that the webhook is the tenant's and live and that it was not tested too often, and signs
 * a `webhook.test` event exactly as alert deliveries are signed (signing.ts).
 */
export async function prepareTestEvent(ctx: TenantContext<AlertsDeps>, webhookId: string): Promise<PreparedTestEvent> {
  const [hook] = await ctx.tx
    .select({ url: webhooks.url, secretSealed: webhooks.secretSealed, disabledAt: webhooks.disabledAt })
    .from(webhooks)
    .where(and(eq(webhooks.tenantId, ctx.principal.tenantId), eq(webhooks.id, webhookId)));
  if (!hook) throw notFound("Webhook", webhookId);
  if (hook.disabledAt)
    throw validation(`Webhook ${webhookId} is disabled and receives nothing; create a new one to test a receiver.`, { field: "id" });
  const since = new Date(Date.now() - WINDOW_SECONDS * 1000);
  const [recent] = await ctx.tx
    .select({ n: count() })
    .from(webhookTestDeliveries)
    .where(
      and(
        eq(webhookTestDeliveries.tenantId, ctx.principal.tenantId),
        eq(webhookTestDeliveries.webhookId, webhookId),
        gt(webhookTestDeliveries.createdAt, since),
      ),
    );
  if ((recent?.n ?? 0) >= TEST_EVENTS_PER_WINDOW)
    throw new AppError(
      "RATE_LIMITED",
      `A webhook may be sent at most ${TEST_EVENTS_PER_WINDOW} test events a minute; try again in a minute.`,
      { retryAfterSeconds: WINDOW_SECONDS },
    );
  const id = newId("webhookTest");
  const sentAt = new Date();
  const body = JSON.stringify({ type: "webhook.test", deliveryId: id, tenantId: ctx.principal.tenantId, webhookId, sentAt });
  const secret = createKeyCipher(ctx.deps.config.AUTH_KEY_ENCRYPTION_SECRET).decrypt(hook.secretSealed);
  return {
    id,
    webhookId,
    url: hook.url,
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "pdm-platform-webhooks/1",
      ...signedHeaders(secret, { id, unixSeconds: Math.floor(sentAt.getTime() / 1000), body }),
    },
  };
}

/** One attempt through the checked outbound path (the URL and every resolved address again; no redirects). */
export function sendTestEvent(deps: AlertsDeps, event: PreparedTestEvent): Promise<OutboundResult> {
  return postOutbound(outboundPolicy(deps.config), event.url, { headers: event.headers, body: event.body });
}

/** Records the attempt in the webhook's delivery log. Audited. */
export async function recordTestEvent(ctx: TenantContext, event: PreparedTestEvent, result: OutboundResult): Promise<WebhookLogEntry> {
  const [row] = await ctx.tx
    .insert(webhookTestDeliveries)
    .values({
      tenantId: ctx.principal.tenantId,
      id: event.id,
      webhookId: event.webhookId,
      outcome: result.outcome,
      statusCode: result.statusCode,
      sentBy: actorOf(ctx.principal).id,
    })
    .returning({ createdAt: webhookTestDeliveries.createdAt });
  if (!row) throw new Error("The test event was not recorded");
  await recordAudit(ctx, {
    action: "webhook.test",
    targetType: "webhook",
    targetId: event.webhookId,
    data: { deliveryId: event.id, outcome: result.outcome },
  });
  const delivered = result.outcome === "DELIVERED";
  return {
    id: event.id,
    webhookId: event.webhookId,
    event: "TEST",
    alertId: null,
    status: delivered ? "DELIVERED" : "FAILED",
    attempts: 1,
    lastOutcome: result.outcome,
    statusCode: result.statusCode,
    createdAt: row.createdAt,
    lastAttemptAt: row.createdAt,
    deliveredAt: delivered ? row.createdAt : null,
  };
}
