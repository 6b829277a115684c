import { eq, inArray } from "drizzle-orm";
import type Stripe from "stripe";
import { auditLog } from "../audit/schema.js";
import { newId } from "../core/ids.js";
import type { Tx } from "../db/client.js";
import { type Account, lockAccountRow, type Plan } from "./account.js";
import { auditHourlyStart, startHourlyMeters } from "./hourly-subscription.js";
import { planById } from "./plans.js";
import { billingAccounts, plans } from "./schema.js";

export type EventOutcome = "applied" | "stale" | "ignored";

export interface Applied {
  readonly outcome: EventOutcome;
  /** The plan the tenant moved to, when this event changed it: its retention follows. */
  readonly planChangedTo?: Plan;
}

type AccountChange = Partial<Omit<Account, "tenantId" | "updatedAt">>;

export interface ApplyInput {
  readonly tenantId: string;
  readonly event: Stripe.Event;
  /** The request that delivered it, for the audit entry. */
  readonly requestId: string;
}

const customerId = (c: string | { id: string } | null | undefined): string | null => (typeof c === "string" ? c : (c?.id ?? null));

const seconds = (s: unknown): Date | null => (typeof s === "number" && Number.isFinite(s) ? new Date(s * 1000) : null);

/** The current period: on the first item in recent Stripe API versions, on the subscription before. */
function periodOf(sub: Stripe.Subscription): { start: Date | null; end: Date | null } {
  const item = sub.items?.data?.[0] as unknown as Record<string, unknown> | undefined;
  const legacy = sub as unknown as Record<string, unknown>;
  return {
    start: seconds(item?.current_period_start) ?? seconds(legacy.current_period_start),
    end: seconds(item?.current_period_end) ?? seconds(legacy.current_period_end),
  };
}

/** The plan of a subscription: its metadata, or else the lookup keys of its prices (pdm_<code>_base). */
async function planOfSubscription(tx: Tx, sub: Stripe.Subscription): Promise<Plan | undefined> {
  const byMetadata = sub.metadata?.plan_id ? await planById(tx, sub.metadata.plan_id) : undefined;
  if (byMetadata) return byMetadata;
  const codes = (sub.items?.data ?? [])
    .map((i) => i.price?.lookup_key?.match(/^pdm_(.+)_base$/)?.[1])
    .filter((c): c is string => typeof c === "string");
  if (codes.length === 0) return undefined;
  const [row] = await tx.select().from(plans).where(inArray(plans.code, codes));
  return row;
}

/**
 * When the subscription started: Stripe's start_date; without one, what the subscription's earlier
 * events recorded, and for its first event (or a new subscription) the start of its period.
 */
function startOf(account: Account, sub: Stripe.Subscription, periodStart: Date | null): Date | null {
  const seenBefore = account.stripeSubscriptionId === sub.id && account.subscriptionEventAt !== null;
  return seconds(sub.start_date) ?? (seenBefore ? account.subscriptionStartedAt : periodStart);
}

function isOlder(at: Date, last: Date | null): boolean {
  return last !== null && at.getTime() < last.getTime();
}

function subscriptionChange(account: Account, event: Stripe.Event, sub: Stripe.Subscription, at: Date): AccountChange | "stale" {
  if (isOlder(at, account.subscriptionEventAt)) return "stale";
  // Same second as the newest applied: a deleted subscription never comes back to life.
  const sameSecond = account.subscriptionEventAt?.getTime() === at.getTime();
  if (sameSecond && account.subscriptionStatus === "canceled" && account.stripeSubscriptionId === sub.id) return "stale";
  const deleted = event.type === "customer.subscription.deleted";
  const status = deleted ? "canceled" : sub.status;
  const period = periodOf(sub);
  const change: AccountChange = {
    stripeSubscriptionId: sub.id,
    subscriptionStatus: status,
    currentPeriodStart: period.start ?? account.currentPeriodStart,
    currentPeriodEnd: period.end ?? account.currentPeriodEnd,
    subscriptionStartedAt: startOf(account, sub, period.start),
    subscriptionEventAt: at,
    cancelledAt: status === "canceled" ? (seconds(sub.ended_at) ?? seconds(sub.canceled_at) ?? at) : null,
  };
  if (status === "past_due" || status === "unpaid") change.pastDueSince = account.pastDueSince ?? at;
  const customer = customerId(sub.customer);
  if (customer && !account.stripeCustomerId) change.stripeCustomerId = customer;
  return change;
}

function invoiceChange(account: Account, event: Stripe.Event, at: Date): AccountChange | "stale" {
  if (isOlder(at, account.invoiceEventAt)) return "stale";
  if (event.type === "invoice.paid") return { pastDueSince: null, invoiceEventAt: at };
  return { pastDueSince: account.pastDueSince ?? at, invoiceEventAt: at };
}

function checkoutChange(account: Account, session: Stripe.Checkout.Session, plan: Plan | undefined): AccountChange {
  const change: AccountChange = {};
  const customer = customerId(session.customer);
  if (customer && !account.stripeCustomerId) change.stripeCustomerId = customer;
  const subscription = customerId(session.subscription);
  // A subscription event already said more than the checkout can: only fill what is missing.
  if (account.subscriptionEventAt !== null) {
    if (subscription && !account.stripeSubscriptionId) change.stripeSubscriptionId = subscription;
    return change;
  }
  if (subscription) change.stripeSubscriptionId = subscription;
  if (plan) change.planId = plan.id;
  change.subscriptionStatus = "active";
  change.cancelledAt = null;
  return change;
}

/**
 * Applies one verified Stripe event to the tenant's billing account, inside the transaction that
 * records the event. Each kind (subscription, invoice) keeps the Stripe time of the newest event
 * applied; an older one that arrives late is stale and changes nothing.
 */
export async function applyStripeEvent(tx: Tx, input: ApplyInput): Promise<Applied> {
  const { event, tenantId } = input;
  const at = new Date(event.created * 1000);
  const account = await lockAccountRow(tx, tenantId);
  let change: AccountChange | "stale";
  let plan: Plan | undefined;
  let sub: Stripe.Subscription | undefined;
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      if (session.mode !== "subscription") return { outcome: "ignored" };
      plan = session.metadata?.plan_id ? await planById(tx, session.metadata.plan_id) : undefined;
      change = checkoutChange(account, session, plan);
      break;
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      sub = event.data.object;
      change = subscriptionChange(account, event, sub, at);
      if (change !== "stale") {
        plan = await planOfSubscription(tx, sub);
        if (plan) change.planId = plan.id;
      }
      break;
    }
    case "invoice.paid":
    case "invoice.payment_failed":
      change = invoiceChange(account, event, at);
      break;
    default:
      return { outcome: "ignored" };
  }
  if (change === "stale") return { outcome: "stale" };
  if (Object.keys(change).length > 0) {
    await tx.update(billingAccounts).set(change).where(eq(billingAccounts.tenantId, tenantId));
  }
  const after = { ...account, ...change };
  await auditStatusChange(tx, input, account, after);
  if (sub && event.type !== "customer.subscription.deleted") {
    // A subscription priced on the hourly meters: its hours go there from the hour it started in.
    const started = await startHourlyMeters(tx, tenantId, after, sub);
    if (started) {
      const audit = { tenantId, eventId: event.id, eventType: event.type, requestId: input.requestId, subscriptionId: sub.id };
      await auditHourlyStart(tx, audit, started);
    }
  }
  const planChanged = plan !== undefined && after.planId === plan.id && account.planId !== plan.id;
  return planChanged ? { outcome: "applied", planChangedTo: plan } : { outcome: "applied" };
}

/** One audit entry per change of subscription status, plan or overdue payment, by the event's id. */
async function auditStatusChange(tx: Tx, input: ApplyInput, before: Account, after: Account): Promise<void> {
  const owingBefore = before.pastDueSince !== null;
  const owingAfter = after.pastDueSince !== null;
  if (before.subscriptionStatus === after.subscriptionStatus && before.planId === after.planId && owingBefore === owingAfter) return;
  await tx.insert(auditLog).values({
    tenantId: input.tenantId,
    id: newId("audit"),
    actorKind: "stripe",
    actorId: input.event.id,
    action: "billing.subscription_changed",
    targetType: "billing_account",
    targetId: input.tenantId,
    data: {
      eventType: input.event.type,
      status: { from: before.subscriptionStatus, to: after.subscriptionStatus },
      plan: { from: before.planId, to: after.planId },
      pastDueSince: after.pastDueSince?.toISOString() ?? null,
    },
    requestId: input.requestId,
  });
}
