import { and, eq, sql } from "drizzle-orm";
import type { WriteGate } from "../core/calls.js";
import type { TenantContext } from "../core/context.js";
import { AppError } from "../core/errors.js";
import { assertCanWrite, type BillingState, billingState, type Plan, stateOf } from "./account.js";
import type { BillingDeps } from "./deps.js";
import { type Meter, usageLedger } from "./schema.js";
import { usedOnDay, utcDay } from "./usage.js";

const DAY_MS = 86_400_000;

/** The plan's entitlement that limits each meter per UTC day. */
const DAILY_ENTITLEMENT = {
  points_ingested: "pointsPerDay",
  predictions: "predictionsPerDay",
  training_runs: "trainingRunsPerDay",
} as const satisfies Record<Meter, keyof Plan>;

const METER_NOUN: Record<Meter, string> = {
  points_ingested: "points",
  predictions: "predictions",
  training_runs: "training runs",
};

/** The limits that count what exists rather than what was used today. */
export type CountEntitlement = "maxAssets" | "maxModels";

const COUNTED: Record<CountEntitlement, { table: string; noun: string }> = {
  maxAssets: { table: "assets", noun: "assets" },
  maxModels: { table: "models", noun: "models" },
};

/**
 * Refuses a write of a tenant whose billing does not allow writing (read-only after the grace
 * period, or cancelled) with PAYMENT_REQUIRED; returns the state (and so the plan) otherwise.
 * One small query in the caller's transaction.
 */
export async function assertTenantCanWrite(ctx: TenantContext<BillingDeps>): Promise<BillingState> {
  const state = await billingState(ctx);
  assertCanWrite(state);
  return state;
}

/** The call runners' write gate (`services.writeGate`) of a process: the billing status check above. */
export function billingWriteGate(deps: BillingDeps): WriteGate {
  return async (ctx) => {
    await assertTenantCanWrite({ ...ctx, deps });
  };
}

/**
 * The plan whose entitlements apply now: the subscribed plan, or the free tier (the default plan)
 * without a live subscription. The grace period does not change which plan applies, so it plays
 * no part here.
 */
export async function currentPlan(ctx: TenantContext): Promise<Plan | null> {
  return (await stateOf(ctx.tx, ctx.principal.tenantId, 0, new Date())).plan;
}

/** The daily limit of a meter: the plan's and the tenant's own (points only); the smaller wins. */
export function dailyLimit(plan: Plan | null, meter: Meter, tenantLimit: number | null = null): number | null {
  const fromPlan = plan ? plan[DAILY_ENTITLEMENT[meter]] : null;
  if (fromPlan === null) return tenantLimit;
  return tenantLimit === null ? fromPlan : Math.min(fromPlan, tenantLimit);
}

/** The next UTC midnight after an instant: when the daily quotas start over. */
export const nextUtcMidnight = (now: number): Date => new Date(Math.floor(now / DAY_MS) * DAY_MS + DAY_MS);

/**
 * Refuses work that would take a meter past its daily limit with QUOTA_EXCEEDED. Runs under a
 * lock per tenant and meter (taken only when there is a limit) until the caller's transaction
 * ends, so parallel requests cannot together pass a limit that each alone fits in; the caller
 * records the usage in the same transaction.
 */
export async function checkDailyQuota(
  ctx: TenantContext,
  input: { meter: Meter; quantity: number; limit: number | null; now: number },
): Promise<void> {
  const { meter, quantity, limit, now } = input;
  if (limit === null) return;
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`quota:${ctx.principal.tenantId}:${meter}`}))`);
  const used = await usedOnDay(ctx, { meter, day: utcDay(new Date(now)) });
  if (used + quantity <= limit) return;
  const resetsAt = nextUtcMidnight(now);
  const noun = METER_NOUN[meter];
  throw new AppError(
    "QUOTA_EXCEEDED",
    `The daily quota of ${limit} ${noun} is reached (${used} used today, ${quantity} more asked for); it resets at ${resetsAt.toISOString()}. Upgrade the plan for a higher limit.`,
    {
      meter,
      limit,
      used,
      requested: quantity,
      resetsAt: resetsAt.toISOString(),
      retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - now) / 1000)),
    },
  );
}

/** The daily quota of a meter from the tenant's current plan (one query for the plan, none without a limit). */
export async function checkPlanQuota(ctx: TenantContext, input: { meter: Meter; quantity: number; now: number }): Promise<void> {
  const limit = dailyLimit(await currentPlan(ctx), input.meter);
  await checkDailyQuota(ctx, { ...input, limit });
}

/**
 * Refuses creating one more asset or model beyond the plan's maximum with QUOTA_EXCEEDED. Counts
 * under a lock per tenant and entitlement, so two parallel creations cannot both take the last place.
 */
export async function checkCountLimit(ctx: TenantContext, input: { entitlement: CountEntitlement; adding?: number }): Promise<void> {
  const tenantId = ctx.principal.tenantId;
  const plan = await currentPlan(ctx);
  const limit = plan ? plan[input.entitlement] : null;
  if (limit === null) return;
  const { table, noun } = COUNTED[input.entitlement];
  await ctx.tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`limit:${tenantId}:${input.entitlement}`}))`);
  const rows = await ctx.tx.execute<{ n: number }>(
    sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${tenantId}`,
  );
  const used = rows[0]?.n ?? 0;
  const adding = input.adding ?? 1;
  if (used + adding <= limit) return;
  throw new AppError(
    "QUOTA_EXCEEDED",
    `The plan allows at most ${limit} ${noun} and ${used} exist: delete one you no longer need, or upgrade the plan.`,
    { entitlement: input.entitlement, limit, used, resetsAt: null, retryAfterSeconds: null },
  );
}

/** Whether usage under this idempotency key was recorded (a repeated piece of work counts once, and was checked once). */
export async function usageRecorded(ctx: TenantContext, idempotencyKey: string): Promise<boolean> {
  const [row] = await ctx.tx
    .select({ id: usageLedger.id })
    .from(usageLedger)
    .where(and(eq(usageLedger.tenantId, ctx.principal.tenantId), eq(usageLedger.idempotencyKey, idempotencyKey)));
  return row !== undefined;
}
