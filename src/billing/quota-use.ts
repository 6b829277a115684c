import { sql } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { type BillingState, billingState } from "./account.js";
import type { BillingDeps } from "./deps.js";
import { type CountEntitlement, dailyLimit, nextUtcMidnight } from "./quotas.js";
import { METERS, type Meter } from "./schema.js";
import { utcDay } from "./usage.js";

/** One meter today: what the daily quotas count and the limit they hold it to (null: none). */
export interface DailyUse {
  readonly meter: Meter;
  readonly used: number;
  readonly limit: number | null;
}

/** One counted entitlement: how many exist and the plan's maximum (null: none). */
export interface CountUse {
  readonly entitlement: CountEntitlement;
  readonly used: number;
  readonly limit: number | null;
}

export interface QuotaUse {
  readonly state: BillingState;
  /** The UTC day the daily figures count (YYYY-MM-DD). */
  readonly day: string;
  /** When the daily quotas start over. */
  readonly resetsAt: Date;
  readonly daily: readonly DailyUse[];
  readonly counts: readonly CountUse[];
}

/**
 * The caller's use of its quotas now, as the checks count it: today's usage per meter against the
 * daily limit (the plan's; for points the tenant's own limit too, the smaller wins), and the assets
 * and models that exist against the plan's maximum. Three small queries in the tenant's transaction.
 */
export async function quotaUse(ctx: TenantContext<BillingDeps>): Promise<QuotaUse> {
  const tenantId = ctx.principal.tenantId;
  const now = ctx.deps.clock.now();
  const state = await billingState(ctx);
  const day = utcDay(now);
  const used = await ctx.tx.execute<{ meter: Meter; quantity: string }>(sql`
    select meter, sum(quantity)::text as quantity from usage_hourly
    where tenant_id = ${tenantId} and hour >= ${day}::date::timestamptz and hour < (${day}::date + 1)::timestamptz
    group by meter`);
  const [row] = await ctx.tx.execute<{ assets: number; models: number; points: string | null }>(sql`
    select (select count(*)::int from assets where tenant_id = ${tenantId}) as assets,
      (select count(*)::int from models where tenant_id = ${tenantId}) as models,
      (select daily_point_quota::text from tenants where id = ${tenantId}) as points`);
  const tenantPoints = row?.points == null ? null : Number(row.points);
  const daily = METERS.map((meter) => ({
    meter,
    used: Number(used.find((u) => u.meter === meter)?.quantity ?? 0),
    limit: dailyLimit(state.plan, meter, meter === "points_ingested" ? tenantPoints : null),
  }));
  const counts: CountUse[] = [
    { entitlement: "maxAssets", used: row?.assets ?? 0, limit: state.plan?.maxAssets ?? null },
    { entitlement: "maxModels", used: row?.models ?? 0, limit: state.plan?.maxModels ?? null },
  ];
  return { state, day, resetsAt: nextUtcMidnight(now.getTime()), daily, counts };
}
