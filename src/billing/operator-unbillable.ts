import { inArray, sql } from "drizzle-orm";
import type { OperatorContext } from "../core/context.js";
import { forbidden } from "../core/errors.js";
import { checkReason, logAccess } from "../operators/index.js";
import type { Plan } from "./account.js";
import { unitAmountOf } from "./plans.js";
import { type Meter, plans, type UnbillableReason } from "./schema.js";

/**
 * Usage that no invoice can include (meter reports the sync set aside as unbillable), per tenant,
 * meter and reason, with what it would have cost on the tenant's plan. Finance operators only, on
 * the operator connection; each read logged with its reason.
 */
export interface UnbillableUsage {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly meter: Meter;
  readonly reason: UnbillableReason;
  /** Distinct UTC hours. */
  readonly hours: number;
  readonly firstHour: Date;
  readonly lastHour: Date;
  readonly quantity: number;
  /** The plan the amount is priced on: the tenant's subscribed plan, else the default plan. */
  readonly planCode: string | null;
  readonly currency: string | null;
  /** Minor units, priced as the invoice preview prices (points per started 1,000); 0 without a plan. */
  readonly amount: number;
}

/** What `quantity` of a meter costs on a plan, as an invoice line computes it. */
export function amountOf(plan: Plan | undefined, meter: Meter, quantity: number): number {
  if (!plan) return 0;
  const billed = meter === "points_ingested" ? Math.ceil(quantity / 1000) : quantity;
  return billed * unitAmountOf(plan, meter);
}

const MAX_GROUPS = 10_000;

export async function operatorUnbillableUsage(ctx: OperatorContext, input: { reason: string }): Promise<UnbillableUsage[]> {
  const reason = checkReason(input.reason);
  if (ctx.principal.role !== "finance") throw forbidden("Billing figures across tenants are for finance operators only.");
  return ctx.opsDb.db.transaction(async (tx) => {
    const rows = await tx.execute<{
      tenant_id: string;
      tenant_name: string;
      meter: Meter;
      reason: UnbillableReason;
      hours: number;
      first_hour: string;
      last_hour: string;
      quantity: string;
      plan_id: string | null;
    }>(sql`
      select r.tenant_id, t.name as tenant_name, r.meter, r.unbillable_reason as reason, count(distinct r.hour)::int as hours,
        to_char(min(r.hour) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as first_hour,
        to_char(max(r.hour) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_hour,
        sum(r.quantity)::text as quantity,
        coalesce(b.plan_id, (select p.id from plans p where p.is_default limit 1)) as plan_id
      from meter_reports r
        join tenants t on t.id = r.tenant_id
        left join billing_accounts b on b.tenant_id = r.tenant_id
      where r.state = 'unbillable'
      group by r.tenant_id, t.name, r.meter, r.unbillable_reason, b.plan_id
      order by r.tenant_id, r.meter, r.unbillable_reason
      limit ${MAX_GROUPS}`);
    const planIds = [...new Set(rows.flatMap((r) => (r.plan_id ? [r.plan_id] : [])))];
    const priced = planIds.length === 0 ? [] : await tx.select().from(plans).where(inArray(plans.id, planIds));
    const byId = new Map(priced.map((p) => [p.id, p]));
    await logAccess(ctx, tx, "operator.billing_unbillable", reason);
    return rows.map((r) => {
      const plan = r.plan_id ? byId.get(r.plan_id) : undefined;
      const quantity = Number(r.quantity);
      return {
        tenantId: r.tenant_id,
        tenantName: r.tenant_name,
        meter: r.meter,
        reason: r.reason,
        hours: r.hours,
        firstHour: new Date(r.first_hour),
        lastHour: new Date(r.last_hour),
        quantity,
        planCode: plan?.code ?? null,
        currency: plan?.currency ?? null,
        amount: amountOf(plan, r.meter, quantity),
      };
    });
  });
}
