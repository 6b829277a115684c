import { ApplicationFailure } from "@temporalio/activity";
import { and, eq, sql } from "drizzle-orm";
import { getAsset } from "../assets/index.js";
import { createKeyCipher } from "../auth/index.js";
import { workflowCall } from "../core/calls.js";
import type { Db } from "../db/client.js";
import { type OutboundPolicy, postOutbound } from "../outbound/index.js";
import { getAlert } from "./alerts.js";
import { webhookDeliveries, webhooks } from "./schema.js";
import { signedHeaders } from "./signing.js";
import { listWebhooks } from "./webhooks.js";

export interface DeliveryDeps {
  readonly db: Db;
  readonly keyEncryptionSecret: string;
  readonly outbound: OutboundPolicy;
}

export interface DeliveryRef {
  readonly tenantId: string;
  readonly alertId: string;
}

/** A delivery's id, the same on every attempt: its alert and webhook (`webhook-id`, and `deliveryId` in the body). */
function deliveryIdOf(input: DeliveryRef & { webhookId: string }): string {
  return `${input.alertId}:${input.webhookId}`;
}

/** The webhooks an alert goes to, each with a pending delivery row (once). */
async function planDeliveries(deps: DeliveryDeps, input: DeliveryRef): Promise<string[]> {
  return workflowCall(deps, { tenantId: input.tenantId, workflowId: `alert:${input.alertId}` }, async (ctx) => {
    await getAlert(ctx, input.alertId);
    const hooks = await listWebhooks(ctx);
    if (hooks.length > 0) {
      await ctx.tx
        .insert(webhookDeliveries)
        .values(hooks.map((h) => ({ tenantId: input.tenantId, webhookId: h.id, alertId: input.alertId })))
        .onConflictDoNothing();
    }
    return hooks.map((h) => h.id);
  });
}

/**
 * POSTs the alert to one webhook, signed, through `postOutbound` (the URL and every address its
 * host resolves to are checked first; no redirects; the answer's body is not read); a delivery
 * that succeeded before is not sent again. The outcome class is recorded; anything but DELIVERED
 * throws, so that the workflow's retry policy tries again, except a blocked address, which no
 * retry changes.
 */
async function sendDelivery(deps: DeliveryDeps, input: DeliveryRef & { webhookId: string }): Promise<void> {
  const prepared = await workflowCall(deps, { tenantId: input.tenantId, workflowId: `alert:${input.alertId}` }, async (ctx) => {
    const [delivery] = await ctx.tx
      .select({ status: webhookDeliveries.status })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.tenantId, input.tenantId),
          eq(webhookDeliveries.webhookId, input.webhookId),
          eq(webhookDeliveries.alertId, input.alertId),
        ),
      );
    if (delivery?.status === "delivered") return undefined;
    const [hook] = await ctx.tx
      .select({ url: webhooks.url, secretSealed: webhooks.secretSealed, disabledAt: webhooks.disabledAt })
      .from(webhooks)
      .where(and(eq(webhooks.tenantId, input.tenantId), eq(webhooks.id, input.webhookId)));
    if (!hook || hook.disabledAt) return undefined;
    const alert = await getAlert(ctx, input.alertId);
    const asset = await getAsset(ctx, alert.assetId);
    const body = JSON.stringify({
      type: "alert.raised",
      deliveryId: deliveryIdOf(input),
      tenantId: input.tenantId,
      alert: { ...alert, asset: { id: asset.id, externalId: asset.externalId, name: asset.name } },
    });
    return { url: hook.url, secret: createKeyCipher(deps.keyEncryptionSecret).decrypt(hook.secretSealed), body };
  });
  if (!prepared) return;
  const result = await postOutbound(deps.outbound, prepared.url, {
    headers: {
      "content-type": "application/json",
      "user-agent": "pdm-platform-webhooks/1",
      // Only the standard headers: receivers verify with a Standard Webhooks library.
      ...signedHeaders(prepared.secret, { id: deliveryIdOf(input), unixSeconds: Math.floor(Date.now() / 1000), body: prepared.body }),
    },
    body: prepared.body,
  });
  const delivered = result.outcome === "DELIVERED";
  await workflowCall(deps, { tenantId: input.tenantId, workflowId: `alert:${input.alertId}` }, (ctx) =>
    ctx.tx.execute(sql`
      update webhook_deliveries
      set attempts = attempts + 1, last_outcome = ${result.outcome}, last_status_code = ${result.statusCode}, last_error = ${result.detail},
          status = ${delivered ? "delivered" : "pending"}, delivered_at = ${delivered ? new Date().toISOString() : null}::timestamptz, updated_at = now()
      where tenant_id = ${input.tenantId} and webhook_id = ${input.webhookId} and alert_id = ${input.alertId}`),
  );
  if (result.outcome === "BLOCKED_ADDRESS")
    throw ApplicationFailure.nonRetryable("the webhook's URL or address is not allowed", "BLOCKED_ADDRESS");
  if (!delivered) throw new Error(`the webhook delivery ended ${result.outcome}`);
}

/** Gives up on a delivery after the last attempt. */
async function failDelivery(deps: DeliveryDeps, input: DeliveryRef & { webhookId: string }): Promise<void> {
  await workflowCall(deps, { tenantId: input.tenantId, workflowId: `alert:${input.alertId}` }, (ctx) =>
    ctx.tx.execute(sql`
      update webhook_deliveries set status = 'failed', updated_at = now()
      where tenant_id = ${input.tenantId} and webhook_id = ${input.webhookId} and alert_id = ${input.alertId} and status = 'pending'`),
  );
}

/** The delivery activities the worker registers (Temporal calls each with its input), bound to the process's dependencies. */
export function createAlertActivities(deps: DeliveryDeps) {
  return {
    planDeliveries: (input: DeliveryRef) => planDeliveries(deps, input),
    sendDelivery: (input: DeliveryRef & { webhookId: string }) => sendDelivery(deps, input),
    failDelivery: (input: DeliveryRef & { webhookId: string }) => failDelivery(deps, input),
  };
}

export type AlertActivities = ReturnType<typeof createAlertActivities>;
