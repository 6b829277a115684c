import { and, eq, sql } from "drizzle-orm";
import { getAsset } from "../assets/assets.js";
import { createKeyCipher } from "../auth/key-encryption.js";
import type { Db } from "../db/client.js";
import { asWorkflow } from "../mlops/tenant.js";
import { getAlert } from "./alerts.js";
import { webhookDeliveries, webhooks } from "./schema.js";
import { listWebhooks, signatureHeader } from "./webhooks.js";

export interface DeliveryDeps {
  readonly db: Db;
  readonly keyEncryptionSecret: string;
}

export interface DeliveryRef {
  readonly tenantId: string;
  readonly alertId: string;
}

const TIMEOUT_MS = 10_000;

/** The webhooks an alert goes to, each with a pending delivery row (once). */
export async function planDeliveries(deps: DeliveryDeps, input: DeliveryRef): Promise<string[]> {
  return asWorkflow(deps.db, input.tenantId, `alert:${input.alertId}`, async (ctx) => {
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
 * POSTs the alert to one webhook, signed; a delivery that succeeded before is not sent again. A
 * non-2xx answer or no answer throws, so that the workflow's retry policy tries again.
 */
export async function sendDelivery(deps: DeliveryDeps, input: DeliveryRef & { webhookId: string }): Promise<void> {
  const prepared = await asWorkflow(deps.db, input.tenantId, `alert:${input.alertId}`, async (ctx) => {
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
      deliveryId: `${input.alertId}:${input.webhookId}`,
      tenantId: input.tenantId,
      alert: { ...alert, asset: { id: asset.id, externalId: asset.externalId, name: asset.name } },
    });
    return { url: hook.url, secret: createKeyCipher(deps.keyEncryptionSecret).decrypt(hook.secretSealed), body };
  });
  if (!prepared) return;
  let status = 0;
  let error: string | null = null;
  try {
    const res = await fetch(prepared.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "pdm-platform-webhooks/1",
        "x-pdm-delivery": `${input.alertId}:${input.webhookId}`,
        "x-pdm-signature": signatureHeader(prepared.secret, prepared.body, Math.floor(Date.now() / 1000)),
      },
      body: prepared.body,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const delivered = status >= 200 && status < 300;
  await asWorkflow(deps.db, input.tenantId, `alert:${input.alertId}`, (ctx) =>
    ctx.tx.execute(sql`
      update webhook_deliveries
      set attempts = attempts + 1, last_status_code = ${status || null}, last_error = ${error},
          status = ${delivered ? "delivered" : "pending"}, delivered_at = ${delivered ? new Date().toISOString() : null}::timestamptz, updated_at = now()
      where tenant_id = ${input.tenantId} and webhook_id = ${input.webhookId} and alert_id = ${input.alertId}`),
  );
  if (!delivered) throw new Error(error ? `the webhook did not answer: ${error}` : `the webhook answered ${status}`);
}

/** Gives up on a delivery after the last attempt. */
export async function failDelivery(deps: DeliveryDeps, input: DeliveryRef & { webhookId: string }): Promise<void> {
  await asWorkflow(deps.db, input.tenantId, `alert:${input.alertId}`, (ctx) =>
    ctx.tx.execute(sql`
      update webhook_deliveries set status = 'failed', updated_at = now()
      where tenant_id = ${input.tenantId} and webhook_id = ${input.webhookId} and alert_id = ${input.alertId} and status = 'pending'`),
  );
}

export function createAlertActivities(deps: DeliveryDeps) {
  return {
    planDeliveries: (input: DeliveryRef) => planDeliveries(deps, input),
    sendDelivery: (input: DeliveryRef & { webhookId: string }) => sendDelivery(deps, input),
    failDelivery: (input: DeliveryRef & { webhookId: string }) => failDelivery(deps, input),
  };
}

export type AlertActivities = ReturnType<typeof createAlertActivities>;
