import { eq, inArray } from "drizzle-orm";
import type Stripe from "stripe";
import { auditLog } from "../audit/schema.js";
import { newId } from "../core/ids.js";
import type { Tx } from "../db/client.js";
import type { Account } from "./account.js";
import { floorToHour, guardedFrom, reportedSince } from "./catalogue-hourly.js";
import { billingAccounts, stripeMeters, stripePrices } from "./schema.js";

const HOUR_MS = 3_600_000;

/**
 * Statuses of a subscription that bills, or will once paid, its usage from its start on: an
 * incomplete one (its first payment under way) too, so no hour of it goes to a meter it has no
 * price on while the payment completes; should it expire instead, no invoice bills either meter.
 */
const BILLING_STATUSES: ReadonlySet<string> = new Set(["incomplete", "active", "trialing", "past_due"]);

/** How a subscription's metered items are priced: on the per-event meters, on their hourly twins. */
export interface MeteredItems {
  readonly perEvent: number;
  readonly hourly: number;
}

const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === "string" ? v : (v?.id ?? null));

/**
 * Counts the subscription's metered items by the meter their price is on (the price's
 * `recurring.meter`), or, where an event names no meter, by the price recorded in the catalogue.
 */
export async function meteredItemsOf(tx: Tx, sub: Stripe.Subscription): Promise<MeteredItems> {
  const items = sub.items?.data ?? [];
  const priceIds = items.map((i) => i.price?.id).filter((id): id is string => typeof id === "string");
  const meters = await tx.select().from(stripeMeters);
  const recorded = priceIds.length > 0 ? await tx.select().from(stripePrices).where(inArray(stripePrices.stripePriceId, priceIds)) : [];
  let perEvent = 0;
  let hourly = 0;
  for (const item of items) {
    const meter = idOf(item.price?.recurring?.meter);
    const byMeter = meter ? meters.find((m) => m.stripeMeterId === meter || m.hourlyStripeMeterId === meter) : undefined;
    if (byMeter && meter) {
      if (meter === byMeter.hourlyStripeMeterId) hourly += 1;
      else perEvent += 1;
      continue;
    }
    const price = recorded.find((p) => p.stripePriceId === item.price?.id);
    if (!price || price.component === "base") continue;
    if (price.hourly) hourly += 1;
    else perEvent += 1;
  }
  return { perEvent, hourly };
}

export interface HourlyStart {
  readonly from: Date;
  /** The hour the subscription started in (floored): where the switch would be without earlier reports. */
  readonly startHour: Date;
  /** The newest hour at or after the start that was reported before this event (then `from` is the hour after it). */
  readonly reportedUntil: Date | null;
}

/**
 * For a subscription whose metered prices are all on the hourly twins (a Checkout under
 * BILLING_HOURLY_METERS), once Stripe reports it (incomplete, active, trialing, past due): the tenant's hours from the
 * hour it started in go to the twins. Never moves an hour that was already reported: when a late
 * webhook finds hours at or after the start reported (to the per-event meters), the switch is the
 * hour after the newest of them, and the audit entry names them. A tenant switched at or before
 * the start hour stays as it is; a subscription that keeps per-event metered items (a tenant
 * switched by the operators' command) is left to that command.
 */
export async function startHourlyMeters(tx: Tx, tenantId: string, account: Account, sub: Stripe.Subscription): Promise<HourlyStart | null> {
  if (!BILLING_STATUSES.has(sub.status) || !account.subscriptionStartedAt) return null;
  const metered = await meteredItemsOf(tx, sub);
  if (metered.hourly === 0 || metered.perEvent > 0) return null;
  const startHour = floorToHour(account.subscriptionStartedAt);
  const current = account.hourlyMetersFrom;
  if (current && current.getTime() <= startHour.getTime()) return null;
  const reportedUntil = await reportedSince(tx, tenantId, guardedFrom(startHour, current));
  const from = reportedUntil ? new Date(reportedUntil.getTime() + HOUR_MS) : startHour;
  if (current && from.getTime() >= current.getTime()) return null;
  await tx.update(billingAccounts).set({ hourlyMetersFrom: from }).where(eq(billingAccounts.tenantId, tenantId));
  return { from, startHour, reportedUntil };
}

/** The audit entry of a switch a subscription event made, by the event's id. */
export async function auditHourlyStart(
  tx: Tx,
  input: { tenantId: string; eventId: string; eventType: string; requestId: string; subscriptionId: string },
  start: HourlyStart,
): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: input.tenantId,
    id: newId("audit"),
    actorKind: "stripe",
    actorId: input.eventId,
    action: "billing.hourly_meters_started",
    targetType: "billing_account",
    targetId: input.tenantId,
    data: {
      eventType: input.eventType,
      subscription: input.subscriptionId,
      from: start.from.toISOString(),
      startHour: start.startHour.toISOString(),
      // Hours from the start up to here were reported to the per-event meters before the event came.
      reportedToPerEventMetersUntil: start.reportedUntil?.toISOString() ?? null,
    },
    requestId: input.requestId,
  });
}
