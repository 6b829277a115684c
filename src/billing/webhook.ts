import { eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { validation } from "../core/errors.js";
import { type Db, isUniqueViolation, withTenant } from "../db/client.js";
import { tenants } from "../db/tenants.js";
import type { WebhookDeps } from "./deps.js";
import { isThinEvent, receiveThinEvent } from "./meter-error-report.js";
import { stripeEvents } from "./schema.js";
import { applyStripeEvent, type EventOutcome } from "./webhook-apply.js";

/** Seconds a signed delivery stays acceptable (Stripe's own default). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Stripe's deliveries act for no principal: the verified signature is their authority, and the
 * tenant is the one the event names (by its customer or, for a completed checkout, the tenant put
 * on the session). So their context is Stripe's own, not a tenant's: the request id, the request's
 * log and the webhook's dependencies; each event is applied in the named tenant's RLS-scoped
 * transaction, and its audit entry names the Stripe event as the actor.
 */
export interface StripeContext {
  readonly requestId: string;
  readonly log: Pick<Logger, "warn" | "error" | "info">;
  readonly deps: WebhookDeps;
}

export type WebhookOutcome = EventOutcome | "duplicate";

/** Verifies the signature over the raw bytes; a missing, forged or stale one is refused. */
function verifyStripeEvent(deps: WebhookDeps, raw: Buffer, signature: string | undefined): Stripe.Event {
  if (!signature) throw validation("The Stripe-Signature header is missing.");
  try {
    return deps.stripe.webhooks.constructEvent(raw, signature, deps.config.STRIPE_WEBHOOK_SECRET, SIGNATURE_TOLERANCE_SECONDS);
  } catch {
    throw validation(
      `The Stripe signature does not match this endpoint's secret, or is older than ${SIGNATURE_TOLERANCE_SECONDS} seconds.`,
    );
  }
}

const idOf = (v: unknown): string | undefined =>
  typeof v === "string"
    ? v
    : typeof v === "object" && v !== null && typeof (v as { id?: unknown }).id === "string"
      ? (v as { id: string }).id
      : undefined;

async function tenantExists(db: Db, tenantId: string): Promise<boolean> {
  const rows = await withTenant(db.db, { tenantId }, (tx) => tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)));
  return rows.length > 0;
}

async function tenantOfCustomer(db: Db, customer: string | undefined): Promise<string | undefined> {
  if (!customer) return undefined;
  const [row] = await db.sql<{ tenant_id: string | null }[]>`select billing_tenant_of_customer(${customer}) as tenant_id`;
  return row?.tenant_id ?? undefined;
}

/**
 * The tenant an event belongs to: by its Stripe customer, or for a completed checkout by the
 * tenant we put on the session (which must exist, and must not be another tenant's customer).
 */
async function tenantOf(db: Db, event: Stripe.Event): Promise<string | undefined> {
  const object = event.data.object as unknown as Record<string, unknown>;
  // A customer.* event carries the customer itself; the others name it.
  const byCustomer = await tenantOfCustomer(db, object.object === "customer" ? idOf(object.id) : idOf(object.customer));
  if (event.type !== "checkout.session.completed") return byCustomer;
  const session = event.data.object;
  const claimed = session.client_reference_id ?? session.metadata?.tenant_id ?? undefined;
  if (!claimed || (byCustomer !== undefined && byCustomer !== claimed)) return undefined;
  return (await tenantExists(db, claimed)) ? claimed : undefined;
}

/**
 * One delivery: its signature verified over the raw bytes (VALIDATION, nothing stored, when it is
 * missing, forged or stale). A thin event (Stripe's error reports) goes to receiveThinEvent;
 * a classic one is stored by its event id and applied in the same transaction, so
 * a repeat answers "duplicate" and changes nothing. A new plan's retention is stored with it and
 * handed on (deps.onRetentionChanged) after the commit, as Postgres holds it then.
 */
export async function receiveStripeEvent(
  ctx: StripeContext,
  input: { readonly raw: Buffer; readonly signature: string | undefined },
): Promise<WebhookOutcome> {
  const { deps, requestId } = ctx;
  if (isThinEvent(input.raw)) return receiveThinEvent(ctx, { ...input, toleranceSeconds: SIGNATURE_TOLERANCE_SECONDS });
  const event = verifyStripeEvent(deps, input.raw, input.signature);
  const tenantId = await tenantOf(deps.db, event);
  if (!tenantId) {
    ctx.log.warn({ eventId: event.id, type: event.type }, "Stripe event for no known tenant ignored");
    return "ignored";
  }
  let result: Awaited<ReturnType<typeof applyStripeEvent>> | "duplicate";
  try {
    result = await withTenant(deps.db.db, { tenantId }, async (tx) => {
      // Serialises the tenant's deliveries; the account row is created here when missing.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`stripe-events:${tenantId}`}, 0))`);
      const [seen] = await tx.select({ id: stripeEvents.id }).from(stripeEvents).where(eq(stripeEvents.id, event.id));
      if (seen) return "duplicate" as const;
      const applied = await applyStripeEvent(tx, { tenantId, event, requestId });
      await tx.insert(stripeEvents).values({
        tenantId,
        id: event.id,
        type: event.type,
        stripeCreatedAt: new Date(event.created * 1000),
        outcome: applied.outcome,
      });
      if (applied.planChangedTo) {
        await tx.update(tenants).set({ retentionDays: applied.planChangedTo.retentionDays }).where(eq(tenants.id, tenantId));
      }
      return applied;
    });
  } catch (error) {
    // The same event delivered twice at once: the first one's insert won.
    if (isUniqueViolation(error, "stripe_events_id_key") || isUniqueViolation(error, "stripe_events_tenant_id_id_pk")) return "duplicate";
    throw error;
  }
  if (result === "duplicate") return "duplicate";
  const plan = result.planChangedTo;
  if (plan) {
    try {
      await deps.onRetentionChanged({ tenantId, retentionDays: plan.retentionDays });
    } catch (error) {
      ctx.log.error({ err: error, tenantId, retentionDays: plan.retentionDays }, "could not apply the plan's telemetry retention");
    }
  }
  ctx.log.info({ eventId: event.id, type: event.type, tenantId, outcome: result.outcome }, "Stripe event received");
  return result.outcome;
}
