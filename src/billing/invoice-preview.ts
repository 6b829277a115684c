import { sql } from "drizzle-orm";
import { conflict } from "../core/errors.js";
import type { Tx } from "../db/client.js";
import { isSubscribed, type Plan, stateOf } from "./account.js";
import { unitAmountOf } from "./plans.js";
import { METERS, type Meter, type PriceComponent } from "./schema.js";

export interface InvoiceLine {
  readonly component: PriceComponent;
  /** Units used (points, predictions, runs; 1 for the base price). */
  readonly quantity: number;
  /** Minor units per unit (per 1,000 points for points). */
  readonly unitAmount: number;
  /** Minor units. */
  readonly amount: number;
  readonly description: string;
}

export interface InvoicePreview {
  readonly tenantId: string;
  readonly planCode: string;
  readonly planName: string;
  readonly currency: string;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly lines: readonly InvoiceLine[];
  /** Minor units: the sum of the lines. */
  readonly total: number;
}

/** The calendar month (UTC) an instant falls in: the period when Stripe has not named one yet. */
export function calendarMonth(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { start, end };
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/**
 * The lines of a period's usage on a plan; amounts are integers in minor units. `pointsBySwitch`:
 * for a period the tenant's switch to the hourly meters falls in, the points before and after it.
 * Stripe then has two points items, each rounding its own sum up to a started 1,000.
 */
function invoiceLines(
  plan: Plan,
  used: Readonly<Record<Meter, number>>,
  pointsBySwitch?: { readonly before: number; readonly after: number },
): InvoiceLine[] {
  const points = used.points_ingested;
  const thousands = pointsBySwitch
    ? Math.ceil(pointsBySwitch.before / 1000) + Math.ceil(pointsBySwitch.after / 1000)
    : Math.ceil(points / 1000);
  const pointsNote = pointsBySwitch
    ? `, per meter: ${count(pointsBySwitch.before, "point", "points")} before the switch to the hourly meters, ${count(pointsBySwitch.after, "point", "points")} after`
    : "";
  /** A line billing `billed` units (thousands for points) at the plan's price of the component. */
  const line = (component: PriceComponent, quantity: number, billed: number, description: string): InvoiceLine => {
    const unitAmount = unitAmountOf(plan, component);
    return { component, quantity, unitAmount, amount: billed * unitAmount, description };
  };
  return [
    line("base", 1, 1, `${plan.name}: base price`),
    line(
      "points_ingested",
      points,
      thousands,
      `${count(points, "point", "points")} ingested, billed per started 1,000 (${count(thousands, "thousand", "thousands")}${pointsNote})`,
    ),
    line("predictions", used.predictions, used.predictions, count(used.predictions, "prediction", "predictions")),
    line("training_runs", used.training_runs, used.training_runs, count(used.training_runs, "training run", "training runs")),
  ];
}

/**
 * What the running period would cost so far: the subscription's period (as the webhooks last
 * described it) or, before Stripe named one, the current calendar month (UTC). An hour's usage
 * belongs to the period its last second falls in, the time its meter events carry to Stripe, so
 * the hour a subscription starts in is billed in its first period, as Stripe bills it. A tenant without a
 * subscription (never subscribed, or cancelled: the free tier, which costs nothing) has nothing to
 * preview: CONFLICT. Billing's own query, for a tenant's verb and for an operator's (on the
 * operator connection, one tenant named).
 */
export async function invoicePreview(tx: Tx, input: { tenantId: string; now: Date }): Promise<InvoicePreview> {
  const { tenantId, now } = input;
  const state = await stateOf(tx, tenantId, 0, now);
  const plan = state.plan;
  if (!plan || !isSubscribed(state.status)) {
    throw conflict("There is no subscription, so there is no invoice to preview: subscribe to a plan first.", {
      billingStatus: state.status,
    });
  }
  const month = calendarMonth(now);
  const periodStart = state.currentPeriodStart && state.currentPeriodEnd ? state.currentPeriodStart : month.start;
  const periodEnd = state.currentPeriodStart && state.currentPeriodEnd ? state.currentPeriodEnd : month.end;
  // Hours from the tenant's switch on go to the hourly meters: each hour is on one meter only.
  const rows = await tx.execute<{ meter: Meter; quantity: string; hourly: boolean }>(sql`
    select u.meter, sum(u.quantity)::text as quantity, coalesce(a.hourly_meters_from <= u.hour, false) as hourly
    from usage_hourly u left join billing_accounts a on a.tenant_id = u.tenant_id
    where u.tenant_id = ${tenantId}
      and u.hour + interval '3599 seconds' >= ${periodStart.toISOString()}::timestamptz
      and u.hour + interval '3599 seconds' < ${periodEnd.toISOString()}::timestamptz
    group by 1, 3`);
  const used = Object.fromEntries(METERS.map((m) => [m, 0])) as Record<Meter, number>;
  for (const r of rows) used[r.meter] += Number(r.quantity);
  const points = rows.filter((r) => r.meter === "points_ingested");
  const after = points.filter((r) => r.hourly).reduce((sum, r) => sum + Number(r.quantity), 0);
  const split = points.some((r) => r.hourly) && points.some((r) => !r.hourly);
  const lines = invoiceLines(plan, used, split ? { before: used.points_ingested - after, after } : undefined);
  return {
    tenantId,
    planCode: plan.code,
    planName: plan.name,
    currency: plan.currency,
    periodStart,
    periodEnd,
    lines,
    total: lines.reduce((sum, l) => sum + l.amount, 0),
  };
}
