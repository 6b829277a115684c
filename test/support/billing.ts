import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { CatalogueReport } from "../../src/billing/catalogue.js";
import { syncCatalogue } from "../../src/billing/catalogue.js";
import type { PlanInput } from "../../src/billing/plans.js";
import { billingAccounts } from "../../src/billing/schema.js";
import { withTenant } from "../../src/db/client.js";
import { BillingAccountDocument, OperatorCreatePlanDocument, StartCheckoutDocument } from "../generated/graphql.js";
import { type Api, gqlOk, newOperator, newTenant, type TestTenant } from "./harness.js";

/**
 * Billing through the real paths: plans by a finance operator, the catalogue sync against
 * stripe-mock, checkout through the API, and subscription state only through signed webhooks.
 */

const financeTokens = new WeakMap<Api, Promise<string>>();

/** A finance operator's token, one per API under test. */
export function financeOperatorToken(api: Api): Promise<string> {
  let token = financeTokens.get(api);
  if (!token) {
    token = newOperator(api, "finance").then((o) => o.token);
    financeTokens.set(api, token);
  }
  return token;
}

export const uniquePlanCode = (label = "plan"): string => `${label}-${randomBytes(5).toString("hex")}`;

export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    code: uniquePlanCode(),
    name: "Test plan",
    currency: "eur",
    baseAmount: 4900,
    pointsAmountPer1000: 2,
    predictionAmount: 5,
    trainingRunAmount: 300,
    pointsPerDay: null,
    predictionsPerDay: null,
    trainingRunsPerDay: null,
    maxAssets: null,
    maxModels: null,
    retentionDays: 365,
    maxSeries: null,
    graphqlCostPerMinute: null,
    active: true,
    ...overrides,
  };
}

/** A plan with a unique code, created by a finance operator through the API. */
export async function createTestPlan(api: Api, overrides: Partial<PlanInput> = {}): Promise<{ id: string; code: string }> {
  const input = planInput(overrides);
  const { operatorCreatePlan } = await gqlOk(
    api,
    OperatorCreatePlanDocument,
    { input, reason: "test fixture: a plan to subscribe to" },
    await financeOperatorToken(api),
  );
  return { id: operatorCreatePlan.id, code: operatorCreatePlan.code };
}

/** The catalogue sync of the given plans (all when none given) against the API's Stripe. */
export function syncTestCatalogue(api: Api, planIds?: readonly string[]): Promise<CatalogueReport> {
  const log = { info: () => undefined, warn: () => undefined };
  return syncCatalogue({ opsDb: api.services.opsDb, stripe: api.services.stripe, log, ...(planIds ? { planIds } : {}) });
}

/** Stripe times in seconds that only grow, so helpers' events apply in the order they are made. */
let lastCreated = 0;
export function nextStripeTime(): number {
  lastCreated = Math.max(lastCreated + 1, Math.floor(Date.now() / 1000));
  return lastCreated;
}

export interface SignedEvent {
  readonly id: string;
  readonly payload: string;
  readonly header: string;
}

/** A Stripe event as Stripe sends it, signed with the endpoint's secret (or another, to forge one). */
export function signedStripeEvent(
  api: Api,
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; created?: number; secret?: string; timestamp?: number } = {},
): SignedEvent {
  const id = options.id ?? `evt_test_${randomBytes(8).toString("hex")}`;
  const payload = JSON.stringify({
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created: options.created ?? nextStripeTime(),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });
  const header = api.services.stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? api.services.config.STRIPE_WEBHOOK_SECRET,
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
  return { id, payload, header };
}

export async function deliverWebhook(
  api: Api,
  event: Pick<SignedEvent, "payload" | "header">,
): Promise<{ status: number; body: { received?: boolean; outcome?: string; error?: { code: string; message: string } } }> {
  const res = await fetch(`${api.url}/stripe/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": event.header },
    body: event.payload,
  });
  return { status: res.status, body: (await res.json()) as { received?: boolean; outcome?: string } };
}

/** A subscription object as Stripe puts it into customer.subscription.* events. */
export function subscriptionObject(input: {
  id: string;
  customer: string;
  tenantId: string;
  planId: string;
  planCode: string;
  status: string;
  periodStart?: number;
  periodEnd?: number;
}): Record<string, unknown> {
  const start = input.periodStart ?? Math.floor(Date.now() / 1000);
  const end = input.periodEnd ?? start + 30 * 86_400;
  return {
    id: input.id,
    object: "subscription",
    customer: input.customer,
    status: input.status,
    metadata: { tenant_id: input.tenantId, plan_id: input.planId },
    canceled_at: input.status === "canceled" ? end : null,
    ended_at: input.status === "canceled" ? end : null,
    items: {
      object: "list",
      data: [
        {
          id: `si_${input.id}`,
          object: "subscription_item",
          current_period_start: start,
          current_period_end: end,
          price: { id: "price_test", object: "price", lookup_key: `pdm_${input.planCode}_base` },
        },
      ],
    },
  };
}

/** The tenant's Stripe customer, as startCheckout recorded it. */
export async function customerOf(api: Api, t: TestTenant): Promise<string | null> {
  const rows = await withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
    tx.select({ customer: billingAccounts.stripeCustomerId }).from(billingAccounts).where(eq(billingAccounts.tenantId, t.tenantId)),
  );
  return rows[0]?.customer ?? null;
}

const planIds = new Map<string, string>();

async function planIdOf(api: Api, t: TestTenant, planCode: string): Promise<string> {
  const known = planIds.get(planCode);
  if (known) return known;
  const { PlansDocument } = await import("../generated/graphql.js");
  const { plans } = await gqlOk(api, PlansDocument, {}, t.token);
  const plan = plans.find((p) => p.code === planCode);
  if (!plan) throw new Error(`Plan ${planCode} is not on offer`);
  planIds.set(planCode, plan.id);
  return plan.id;
}

/**
 * Drives a tenant to an active subscription of the plan the way production does: startCheckout as
 * its owner (the plan is synced to stripe-mock first), then the signed webhooks Stripe sends after
 * payment. A tenant subscribed already moves to the plan (as a change in the Customer Portal does).
 */
export async function subscribeTenant(api: Api, t: TestTenant, planCode: string): Promise<{ customerId: string; subscriptionId: string }> {
  const planId = await planIdOf(api, t, planCode);
  const { billingAccount } = await gqlOk(api, BillingAccountDocument, {}, t.token);
  const live = billingAccount.status === "ACTIVE" || billingAccount.status === "PAST_DUE" || billingAccount.status === "READ_ONLY";
  const existing = await customerOf(api, t);
  if (live && existing && billingAccount.subscriptionId) {
    const subscriptionId = billingAccount.subscriptionId;
    const sub = subscriptionObject({ id: subscriptionId, customer: existing, tenantId: t.tenantId, planId, planCode, status: "active" });
    await expectApplied(api, signedStripeEvent(api, "customer.subscription.updated", sub));
    return { customerId: existing, subscriptionId };
  }
  await syncTestCatalogue(api, [planId]);
  const { startCheckout } = await gqlOk(api, StartCheckoutDocument, { planCode }, t.token);
  const customerId = await customerOf(api, t);
  if (!customerId) throw new Error("startCheckout recorded no Stripe customer");
  const subscriptionId = `sub_test_${randomBytes(8).toString("hex")}`;
  const session = {
    id: startCheckout.sessionId,
    object: "checkout.session",
    mode: "subscription",
    status: "complete",
    payment_status: "paid",
    customer: customerId,
    subscription: subscriptionId,
    client_reference_id: t.tenantId,
    metadata: { tenant_id: t.tenantId, plan_id: planId },
  };
  await expectApplied(api, signedStripeEvent(api, "checkout.session.completed", session));
  const sub = subscriptionObject({ id: subscriptionId, customer: customerId, tenantId: t.tenantId, planId, planCode, status: "active" });
  await expectApplied(api, signedStripeEvent(api, "customer.subscription.created", sub));
  return { customerId, subscriptionId };
}

async function expectApplied(api: Api, event: SignedEvent): Promise<void> {
  const answer = await deliverWebhook(api, event);
  if (answer.status !== 200 || answer.body.outcome !== "applied") {
    throw new Error(`Stripe event ${event.id} was not applied: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

const unlimitedPlans = new WeakMap<Api, Promise<string>>();

/** The code of a plan without limits, created once per API under test by a finance operator. */
function unlimitedPlanCode(api: Api): Promise<string> {
  let code = unlimitedPlans.get(api);
  if (!code) {
    code = createTestPlan(api, { code: uniquePlanCode("unlimited"), name: "Unlimited test plan" }).then((p) => p.code);
    unlimitedPlans.set(api, code);
  }
  return code;
}

/**
 * Puts a tenant on a plan without limits the way production does (checkout, then Stripe's signed
 * webhooks): for tests whose work is beyond the free tier (fleets of more than 3 assets, more
 * than one model, C-MAPSS-sized ingest, many trainings or predictions).
 */
export async function subscribeUnlimited(api: Api, t: TestTenant): Promise<TestTenant> {
  await subscribeTenant(api, t, await unlimitedPlanCode(api));
  return t;
}

/** A fresh tenant (public sign-up) subscribed to a plan without limits. */
export async function newPaidTenant(api: Api, name?: string): Promise<TestTenant> {
  return subscribeUnlimited(api, await newTenant(api, name));
}
