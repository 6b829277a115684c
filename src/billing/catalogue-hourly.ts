import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { AppError, validation } from "../core/errors.js";
import { type Db, type Tx, withTenant } from "../db/client.js";
import { isSubscribed, statusOf } from "./account.js";
import type { CatalogueDeps, CatalogueReport } from "./catalogue.js";
import { billingAccounts, METERS, type Meter, stripeMeters, stripePrices } from "./schema.js";

/**
 * The pre-aggregated twins of the Billing Meters (`event_time_window: hour`: Stripe keeps the
 * newest event of each hour and customer) and the switch of a tenant to them at an hour boundary.
 * The per-event meters and their history stay as they are.
 */
export const hourlyEventName = (meter: Meter): string => `pdm_${meter}_hourly`;

const HOURLY_NAMES: Record<Meter, string> = {
  points_ingested: "Telemetry points ingested (per hour)",
  predictions: "Predictions (per hour)",
  training_runs: "Training runs (per hour)",
};

const keyOf = (meter: Meter, eventName: string): string =>
  `pdm-catalogue-${createHash("sha256").update(["hourly-meter", meter, eventName].join("\u0000")).digest("hex").slice(0, 48)}`;

/** Creates the hourly twin of every meter that has none; a second run creates nothing. */
export async function syncHourlyMeters(deps: Pick<CatalogueDeps, "opsDb" | "stripe" | "log">): Promise<CatalogueReport> {
  const report: CatalogueReport = { created: [], updated: [], unchanged: [] };
  const rows = await deps.opsDb.db.select().from(stripeMeters);
  const missing = METERS.filter((m) => !rows.some((r) => r.meter === m));
  if (missing.length > 0) {
    throw new AppError("CONFLICT", `No Stripe meter is recorded for ${missing.join(", ")}: run npm run billing:sync-catalogue first.`, {
      meters: missing,
    });
  }
  for (const row of rows) {
    if (row.hourlyStripeMeterId) {
      report.unchanged.push(`meter ${row.hourlyEventName} (${row.hourlyStripeMeterId})`);
      continue;
    }
    const eventName = hourlyEventName(row.meter);
    const created = await deps.stripe.billing.meters.create(
      {
        display_name: HOURLY_NAMES[row.meter],
        event_name: eventName,
        event_time_window: "hour",
        default_aggregation: { formula: "sum" },
        customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" },
        value_settings: { event_payload_key: "value" },
      },
      { idempotencyKey: keyOf(row.meter, eventName) },
    );
    await deps.opsDb.db
      .update(stripeMeters)
      .set({ hourlyEventName: eventName, hourlyStripeMeterId: created.id })
      .where(and(eq(stripeMeters.meter, row.meter), isNull(stripeMeters.hourlyStripeMeterId)));
    report.created.push(`meter ${eventName} (${created.id}, per hour)`);
  }
  deps.log.info({ created: report.created.length, unchanged: report.unchanged.length }, "Stripe hourly meters synced");
  return report;
}

const HOUR_MS = 3_600_000;

/**
 * The newest hour at or after `from` that has a meter report, or null: such an hour went to the
 * meters the tenant sent to then, so moving the switch to `from` would send its resends (and its
 * late usage) elsewhere and count it twice. The one rule for every change of `hourly_meters_from`.
 */
export async function reportedSince(tx: Tx, tenantId: string, from: Date): Promise<Date | null> {
  const [row] = await tx.execute<{ epoch: number | null }>(
    sql`select extract(epoch from max(hour))::float8 as epoch from meter_reports where tenant_id = ${tenantId} and hour >= ${from.toISOString()}::timestamptz`,
  );
  return row?.epoch == null ? null : new Date(row.epoch * 1000);
}

/** Where the switch may go given the tenant's current one: the earlier of the two bounds what must be unreported. */
export const guardedFrom = (from: Date, current: Date | null): Date => (current && current.getTime() < from.getTime() ? current : from);

export const floorToHour = (at: Date): Date => new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);

export interface SwitchDeps {
  readonly db: Db;
  readonly stripe: Stripe;
}

export interface SwitchResult {
  readonly from: Date;
  readonly subscriptionId: string;
  /** The subscription items this run added (one per hourly price the subscription did not have). */
  readonly addedItems: readonly { readonly itemId: string; readonly priceId: string }[];
  /** Hourly prices the subscription had already (a rerun). */
  readonly presentPrices: readonly string[];
}

const itemKey = (tenantId: string, subscriptionId: string, priceId: string): string =>
  `pdm-hourly-item-${createHash("sha256").update([tenantId, subscriptionId, priceId].join("\u0000")).digest("hex").slice(0, 48)}`;

/** The plan's active prices on the hourly twins, one per meter, or a CONFLICT naming what is missing. */
async function hourlyPricesOf(tx: Tx, planId: string): Promise<Map<Meter, string>> {
  const rows = await tx
    .select()
    .from(stripePrices)
    .where(and(eq(stripePrices.planId, planId), eq(stripePrices.hourly, true), eq(stripePrices.active, true)));
  const prices = new Map(rows.flatMap((r) => (r.component === "base" ? [] : [[r.component, r.stripePriceId] as const])));
  const missing = METERS.filter((m) => !prices.has(m));
  if (missing.length > 0) {
    throw new AppError(
      "CONFLICT",
      `The catalogue has no hourly price for ${missing.join(", ")} of the tenant's plan: run npm run billing:hourly-meters (it creates them after the hourly meters) first.`,
      { planId, missing },
    );
  }
  return prices;
}

/**
 * Switches a subscribed tenant to the hourly meters from `from` (an hour boundary), in the tenant's
 * scope: its Stripe subscription gets the plan's hourly prices as further items (no proration; the
 * per-event items stay and bill the hours before `from`, and receive nothing after it), then the
 * tenant's hours from `from` on go to the twins. Refused when an hour at or after `from` (or after
 * an earlier switch) was already reported, when the tenant has no live subscription, or when the
 * catalogue has no hourly prices. A rerun with the same `from` adds only what is missing.
 */
export async function switchToHourlyMeters(deps: SwitchDeps, input: { tenantId: string; from: Date }): Promise<SwitchResult> {
  const { tenantId, from } = input;
  if (Number.isNaN(from.getTime()) || from.getTime() % HOUR_MS !== 0) {
    throw validation("The switch must be at the start of an hour (UTC), e.g. 2026-12-01T00:00:00Z.", { field: "from" });
  }
  // In the tenant's own scope: the billing account is tenant data.
  return withTenant(deps.db.db, { tenantId }, async (tx) => {
    const twins = await tx.select().from(stripeMeters);
    const without = METERS.filter((m) => !twins.some((r) => r.meter === m && r.hourlyEventName));
    if (without.length > 0) {
      throw new AppError("CONFLICT", `No hourly meter is recorded for ${without.join(", ")}: run npm run billing:hourly-meters first.`, {
        meters: without,
      });
    }
    const [account] = await tx.select().from(billingAccounts).where(eq(billingAccounts.tenantId, tenantId)).for("update");
    if (!account) throw new AppError("NOT_FOUND", `Tenant ${tenantId} has no billing account.`, { tenantId });
    const subscriptionId = account.stripeSubscriptionId;
    const status = statusOf(account, 0, new Date()).status;
    if (!subscriptionId || !account.planId || !isSubscribed(status)) {
      throw new AppError(
        "CONFLICT",
        `Tenant ${tenantId} has no live Stripe subscription (status ${status}): there is nothing to add the hourly prices to. A tenant that subscribes later gets them through Checkout when BILLING_HOURLY_METERS is on.`,
        { tenantId, billingStatus: status },
      );
    }
    const prices = await hourlyPricesOf(tx, account.planId);
    const rerun = account.hourlyMetersFrom?.getTime() === from.getTime();
    if (!rerun) {
      const reported = await reportedSince(tx, tenantId, guardedFrom(from, account.hourlyMetersFrom));
      if (reported) {
        // Earlier than the current switch (or none): hours of the per-event meters would move; later: hours of the hourly ones.
        const current = account.hourlyMetersFrom;
        const meters = current && current.getTime() < from.getTime() ? "hourly" : "per-event";
        throw new AppError(
          "CONFLICT",
          `Usage of ${reported.toISOString()} was already reported to the ${meters} meters: switch at a later hour.`,
          { tenantId, reportedHour: reported.toISOString() },
        );
      }
    }
    // Read first, so a rerun days later (beyond Stripe's idempotency window) adds no second item.
    const items = await deps.stripe.subscriptionItems.list({ subscription: subscriptionId, limit: 100 });
    const present = new Set(items.data.map((i) => i.price?.id));
    const addedItems: { itemId: string; priceId: string }[] = [];
    const presentPrices: string[] = [];
    for (const priceId of prices.values()) {
      if (present.has(priceId)) {
        presentPrices.push(priceId);
        continue;
      }
      const item = await deps.stripe.subscriptionItems.create(
        { subscription: subscriptionId, price: priceId, proration_behavior: "none", metadata: { tenant_id: tenantId } },
        { idempotencyKey: itemKey(tenantId, subscriptionId, priceId) },
      );
      addedItems.push({ itemId: item.id, priceId });
    }
    // Inside the transaction: should Stripe fail above, nothing is switched and the rerun repeats
    // the creates under the same idempotency keys.
    if (!rerun) await tx.update(billingAccounts).set({ hourlyMetersFrom: from }).where(eq(billingAccounts.tenantId, tenantId));
    return { from, subscriptionId, addedItems, presentPrices };
  });
}
