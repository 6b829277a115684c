import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import type { TenantContext } from "../core/context.js";
import { conflict, notFound } from "../core/errors.js";
import { getTenant } from "../tenancy/index.js";
import { type BillingState, billingState, lockBillingAccount } from "./account.js";
import type { BillingDeps, CheckoutDeps } from "./deps.js";
import { planByCode } from "./plans.js";
import { billingAccounts, PRICE_COMPONENTS, type PriceComponent, stripePrices } from "./schema.js";

/** A tenant verb that talks to Stripe. */
export type CheckoutContext = TenantContext<CheckoutDeps>;

const keyOf = (...parts: string[]): string => createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 48);

const portalPage = (portalUrl: string, query = ""): string => `${portalUrl.replace(/\/+$/, "")}/billing${query}`;

/** The tenant's Stripe customer, created once (the idempotency key is the tenant's id). */
async function ensureCustomer(ctx: CheckoutContext): Promise<string> {
  const tenantId = ctx.principal.tenantId;
  const account = await lockBillingAccount(ctx);
  if (account.stripeCustomerId) return account.stripeCustomerId;
  const tenant = await getTenant(ctx);
  const customer = await ctx.deps.stripe.customers.create(
    { name: tenant.name, metadata: { tenant_id: tenantId } },
    { idempotencyKey: `pdm-customer-${tenantId}` },
  );
  await ctx.tx.update(billingAccounts).set({ stripeCustomerId: customer.id }).where(eq(billingAccounts.tenantId, tenantId));
  return customer.id;
}

/**
 * Whether Checkout sells the tenant the metered components on the hourly meters: when the
 * deployment does (BILLING_HOURLY_METERS=on), and always for a tenant whose hours go there already
 * (switched before, e.g. subscribing again after a cancellation), so no hour of a new subscription
 * lands on a meter it has no price on.
 */
async function sellsHourly(ctx: CheckoutContext): Promise<boolean> {
  if (ctx.deps.config.BILLING_HOURLY_METERS === "on") return true;
  const [account] = await ctx.tx
    .select({ from: billingAccounts.hourlyMetersFrom })
    .from(billingAccounts)
    .where(eq(billingAccounts.tenantId, ctx.principal.tenantId));
  return Boolean(account?.from);
}

export interface CheckoutStarted {
  readonly url: string;
  readonly sessionId: string;
}

/**
 * A Stripe Checkout Session for the plan: the customer pays there, and the subscription becomes
 * active here when Stripe's webhooks say so, never because this call returned.
 */
export async function startCheckout(ctx: CheckoutContext, input: { planCode: string }): Promise<CheckoutStarted> {
  const tenantId = ctx.principal.tenantId;
  const plan = await planByCode(ctx.tx, input.planCode.trim());
  if (!plan) throw notFound("Plan", input.planCode);
  if (plan.isDefault) {
    throw conflict(`The plan "${plan.code}" is the free tier: it needs no subscription and applies whenever there is none.`, {
      plan: plan.code,
    });
  }
  if (!plan.active) throw conflict(`The plan "${plan.code}" is no longer offered; choose one of the current plans.`, { plan: plan.code });
  const hourly = await sellsHourly(ctx);
  const prices = await ctx.tx
    .select()
    .from(stripePrices)
    .where(and(eq(stripePrices.planId, plan.id), eq(stripePrices.active, true)));
  /** The price of a component: on the hourly twin for a metered one when the tenant is sold those. */
  const priceOf = (component: PriceComponent) =>
    prices.find((p) => p.component === component && p.hourly === (hourly && component !== "base"));
  const missing = PRICE_COMPONENTS.filter((c) => !priceOf(c)).map((c) => (hourly && c !== "base" ? `${c} (hourly)` : c));
  if (missing.length > 0) {
    throw conflict(`The plan "${plan.code}" is not available in the payment system yet; try again later or contact support.`, {
      plan: plan.code,
      missing,
    });
  }
  const state = await billingState(ctx);
  if (state.status === "active" || state.status === "past_due" || state.status === "read_only") {
    throw conflict("The tenant has a subscription already: change the plan or pay an open invoice in the Customer Portal.", {
      billingStatus: state.status,
    });
  }
  const customer = await ensureCustomer(ctx);
  const metadata = { tenant_id: tenantId, plan_id: plan.id };
  const session = await ctx.deps.stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer,
      client_reference_id: tenantId,
      line_items: PRICE_COMPONENTS.map((component) => {
        const price = priceOf(component)?.stripePriceId ?? "";
        return component === "base" ? { price, quantity: 1 } : { price };
      }),
      metadata,
      subscription_data: { metadata },
      success_url: portalPage(ctx.deps.config.PORTAL_URL, "?checkout=success&session_id={CHECKOUT_SESSION_ID}"),
      cancel_url: portalPage(ctx.deps.config.PORTAL_URL, "?checkout=cancelled"),
    },
    { idempotencyKey: `pdm-checkout-${keyOf(tenantId, plan.id, ctx.requestId)}` },
  );
  if (!session.url) throw new Error(`Checkout Session ${session.id} has no URL`);
  await recordAudit(ctx, {
    action: "billing.checkout_started",
    targetType: "plan",
    targetId: plan.id,
    data: { plan: plan.code, session: session.id },
  });
  return { url: session.url, sessionId: session.id };
}

/** A Customer Portal session: payment methods, invoices, plan changes and cancellation. */
export async function openCustomerPortal(ctx: CheckoutContext): Promise<{ url: string }> {
  const [account] = await ctx.tx.select().from(billingAccounts).where(eq(billingAccounts.tenantId, ctx.principal.tenantId));
  if (!account?.stripeCustomerId) throw conflict("There is no billing account yet: subscribe first (startCheckout).");
  const session = await ctx.deps.stripe.billingPortal.sessions.create(
    { customer: account.stripeCustomerId, return_url: portalPage(ctx.deps.config.PORTAL_URL) },
    { idempotencyKey: `pdm-portal-${keyOf(ctx.principal.tenantId, ctx.requestId)}` },
  );
  return { url: session.url };
}

export interface BillingAccountView extends BillingState {
  readonly stripeSubscriptionId: string | null;
}

export async function getBillingAccount(ctx: TenantContext<BillingDeps>): Promise<BillingAccountView> {
  const state = await billingState(ctx);
  const [account] = await ctx.tx
    .select({ id: billingAccounts.stripeSubscriptionId })
    .from(billingAccounts)
    .where(eq(billingAccounts.tenantId, ctx.principal.tenantId));
  return { ...state, stripeSubscriptionId: account?.id ?? null };
}

/** What every member may know of the billing: the status and the grace end, nothing of Stripe or the plan. */
export async function getBillingStanding(
  ctx: TenantContext<BillingDeps>,
): Promise<{ status: BillingState["status"]; graceEndsAt: Date | null }> {
  const state = await billingState(ctx);
  return { status: state.status, graceEndsAt: state.graceEndsAt };
}
