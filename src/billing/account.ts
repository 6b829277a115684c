import { eq, or } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { AppError } from "../core/errors.js";
import type { Tx } from "../db/client.js";
import type { BillingDeps } from "./deps.js";
import { billingAccounts, plans } from "./schema.js";

/**
 * What a tenant may do, from its subscription as the webhooks last described it:
 * - none: never subscribed (or checkout not finished): the free tier (the default plan) applies;
 * - active: paid up (or trialing);
 * - past_due: a payment failed, still inside the grace period: everything works;
 * - read_only: the grace period is over: reads work, writes answer PAYMENT_REQUIRED;
 * - cancelled: the subscription ended: reads work, writes answer PAYMENT_REQUIRED; the free tier's
 *   limits apply to whatever is still counted (subscribing again lifts them).
 */
export type BillingStatus = "none" | "active" | "past_due" | "read_only" | "cancelled";

export type Plan = typeof plans.$inferSelect;

export interface BillingState {
  readonly status: BillingStatus;
  /**
   * The plan whose entitlements apply: the subscribed one while the subscription lives, the default
   * plan (the free tier) when there is none or it ended; null only if no default plan exists.
   */
  readonly plan: Plan | null;
  readonly stripeCustomerId: string | null;
  readonly pastDueSince: Date | null;
  readonly graceEndsAt: Date | null;
  readonly currentPeriodStart: Date | null;
  readonly currentPeriodEnd: Date | null;
}

const DAY_MS = 86_400_000;

export type Account = typeof billingAccounts.$inferSelect;

/** The status rules, on a loaded account row: pure, so every caller decides the same way. */
export function statusOf(account: Account | undefined, graceDays: number, now: Date): Omit<BillingState, "plan"> {
  const base = {
    stripeCustomerId: account?.stripeCustomerId ?? null,
    pastDueSince: account?.pastDueSince ?? null,
    graceEndsAt: account?.pastDueSince ? new Date(account.pastDueSince.getTime() + graceDays * DAY_MS) : null,
    currentPeriodStart: account?.currentPeriodStart ?? null,
    currentPeriodEnd: account?.currentPeriodEnd ?? null,
  };
  const sub = account?.subscriptionStatus ?? null;
  if (!account || sub === null || sub === "incomplete") return { ...base, status: "none" };
  if (sub === "canceled" || sub === "incomplete_expired" || account.cancelledAt) return { ...base, status: "cancelled" };
  const owing = base.pastDueSince !== null || sub === "past_due" || sub === "unpaid";
  if (!owing) return { ...base, status: sub === "paused" ? "read_only" : "active" };
  const graceEndsAt = base.graceEndsAt ?? new Date(now.getTime() + graceDays * DAY_MS);
  return { ...base, graceEndsAt, status: now.getTime() < graceEndsAt.getTime() ? "past_due" : "read_only" };
}

/**
 * The tenant's billing account row, created empty when missing, locked until the transaction
 * ends: checkout and the webhooks change it one at a time. Billing's own helper for both: a
 * tenant verb's tenant (its principal's) and a Stripe delivery's (the one the event names).
 */
export async function lockAccountRow(tx: Tx, tenantId: string): Promise<Account> {
  await tx.insert(billingAccounts).values({ tenantId }).onConflictDoNothing();
  const [row] = await tx.select().from(billingAccounts).where(eq(billingAccounts.tenantId, tenantId)).for("update");
  if (!row) throw new Error(`Billing account of ${tenantId} is missing after its insert`);
  return row;
}

/** The caller's billing account row, created when missing and locked for the rest of the transaction. */
export function lockBillingAccount(ctx: TenantContext): Promise<Account> {
  return lockAccountRow(ctx.tx, ctx.principal.tenantId);
}

/** Whether a status is a live subscription, whose plan applies (otherwise the free tier does). */
export function isSubscribed(status: BillingStatus): boolean {
  return status === "active" || status === "past_due" || status === "read_only";
}

/**
 * A tenant's billing state, read inside its own transaction (RLS shows only its row), in one
 * query: the account row with its plan and the default plan (one or two rows). Billing's own
 * helper: the verbs below and the invoice preview (of a tenant, or of one for an operator) use it.
 */
export async function stateOf(tx: Tx, tenantId: string, graceDays: number, now: Date): Promise<BillingState> {
  const rows = await tx
    .select({ account: billingAccounts, plan: plans })
    .from(plans)
    .leftJoin(billingAccounts, eq(billingAccounts.tenantId, tenantId))
    .where(or(eq(plans.isDefault, true), eq(plans.id, billingAccounts.planId)));
  const account = rows[0]?.account ?? undefined;
  const state = statusOf(account, graceDays, now);
  const subscribed = isSubscribed(state.status) ? rows.find((r) => r.plan.id === account?.planId) : undefined;
  const plan = subscribed?.plan ?? rows.find((r) => r.plan.isDefault)?.plan ?? null;
  return { ...state, plan };
}

/** The caller's billing state: status, the plan that applies, the grace period, the Stripe period. */
export function billingState(ctx: TenantContext<BillingDeps>): Promise<BillingState> {
  return stateOf(ctx.tx, ctx.principal.tenantId, ctx.deps.billingGraceDays, ctx.deps.clock.now());
}

export function canWrite(state: Pick<BillingState, "status">): boolean {
  return state.status === "none" || state.status === "active" || state.status === "past_due";
}

/** Refuses a write for a tenant that is read-only or cancelled, saying what to do about it. */
export function assertCanWrite(state: Pick<BillingState, "status" | "graceEndsAt">): void {
  if (canWrite(state)) return;
  if (state.status === "cancelled") {
    throw new AppError(
      "PAYMENT_REQUIRED",
      "The subscription has ended: the data can be read, but nothing written. Subscribe again to continue.",
      {
        billingStatus: state.status,
      },
    );
  }
  throw new AppError(
    "PAYMENT_REQUIRED",
    `A payment is overdue and the grace period ended${state.graceEndsAt ? ` at ${state.graceEndsAt.toISOString()}` : ""}: the data can be read, but nothing written until the invoice is paid (the Customer Portal takes the payment).`,
    { billingStatus: state.status, ...(state.graceEndsAt ? { graceEndedAt: state.graceEndsAt.toISOString() } : {}) },
  );
}
