import { createHash } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Logger } from "pino";
import type Stripe from "stripe";
import { AppError } from "../core/errors.js";
import type { Db, Tx } from "../db/client.js";
import type { Plan } from "./account.js";
import { unitAmountOf } from "./plans.js";
import { METERS, type Meter, PRICE_COMPONENTS, type PriceComponent, plans, stripeMeters, stripePrices, stripeProducts } from "./schema.js";

/**
 * Puts the plans into Stripe: one product per plan, one Billing Meter per meter, and per plan one
 * price per component. Stripe's ids are recorded in our tables, so a second run creates nothing;
 * every create carries an idempotency key derived from what it creates, so a crash between
 * Stripe's answer and our insert cannot create a duplicate either. Prices are immutable: a changed
 * amount is a new price under the same lookup key, and the old one is deactivated.
 */
export interface CatalogueDeps {
  readonly opsDb: Db;
  readonly stripe: Stripe;
  readonly log: Pick<Logger, "info" | "warn">;
  /** Only these plans (the meters are always synced); all plans when absent. */
  readonly planIds?: readonly string[];
}

export interface CatalogueReport {
  readonly created: string[];
  readonly updated: string[];
  readonly unchanged: string[];
}

export const meterEventName = (meter: Meter): string => `pdm_${meter}`;
export const priceLookupKey = (planCode: string, component: PriceComponent): string => `pdm_${planCode}_${component}`;
/** The lookup key of a plan's price on a meter's pre-aggregated hourly twin. */
export const hourlyPriceLookupKey = (planCode: string, meter: Meter): string => `pdm_${planCode}_${meter}_hourly`;

/** Which of a component's prices: the per-event one (every component) or the hourly twin's (metered components). */
export interface PriceVariant {
  readonly component: PriceComponent;
  readonly hourly: boolean;
}

const lookupKeyOf = (planCode: string, v: PriceVariant): string =>
  v.hourly && v.component !== "base" ? hourlyPriceLookupKey(planCode, v.component) : priceLookupKey(planCode, v.component);

const keyOf = (...parts: (string | number | boolean)[]): string =>
  `pdm-catalogue-${createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 48)}`;

const METER_NAMES: Record<Meter, string> = {
  points_ingested: "Telemetry points ingested",
  predictions: "Predictions",
  training_runs: "Training runs",
};

async function syncMeters(deps: CatalogueDeps, tx: Tx, report: CatalogueReport): Promise<Map<Meter, string>> {
  const ids = new Map<Meter, string>();
  const known = await tx.select().from(stripeMeters);
  for (const row of known) ids.set(row.meter, row.stripeMeterId);
  for (const meter of METERS) {
    const existing = ids.get(meter);
    if (existing) {
      report.unchanged.push(`meter ${meter} (${existing})`);
      continue;
    }
    const eventName = meterEventName(meter);
    const created = await deps.stripe.billing.meters.create(
      {
        display_name: METER_NAMES[meter],
        event_name: eventName,
        default_aggregation: { formula: "sum" },
        customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" },
        value_settings: { event_payload_key: "value" },
      },
      { idempotencyKey: keyOf("meter", meter, eventName) },
    );
    await tx.insert(stripeMeters).values({ meter, eventName, stripeMeterId: created.id }).onConflictDoNothing();
    const [stored] = await tx.select().from(stripeMeters).where(eq(stripeMeters.meter, meter));
    ids.set(meter, stored?.stripeMeterId ?? created.id);
    report.created.push(`meter ${meter} (${created.id})`);
  }
  return ids;
}

/** What the product's synced fields were, as a hash: equal hashes mean Stripe already has them. */
const productFingerprint = (params: Stripe.ProductCreateParams): string =>
  createHash("sha256")
    .update(JSON.stringify([params.name, params.active, params.metadata]))
    .digest("hex");

async function syncProduct(deps: CatalogueDeps, tx: Tx, plan: Plan, report: CatalogueReport): Promise<string> {
  const params = { name: plan.name, active: plan.active, metadata: { pdm_plan_id: plan.id, pdm_plan_code: plan.code } };
  const fingerprint = productFingerprint(params);
  const [row] = await tx.select().from(stripeProducts).where(eq(stripeProducts.planId, plan.id));
  if (row && row.syncedFingerprint === fingerprint) {
    report.unchanged.push(`product ${row.stripeProductId} (plan ${plan.code})`);
    return row.stripeProductId;
  }
  if (row) {
    // Name, active or metadata changed since the last sync (or were never recorded): one update.
    await deps.stripe.products.update(row.stripeProductId, params, {
      idempotencyKey: keyOf("product-update", plan.id, row.stripeProductId, plan.name, plan.active, plan.code),
    });
    await tx.update(stripeProducts).set({ syncedFingerprint: fingerprint }).where(eq(stripeProducts.planId, plan.id));
    report.updated.push(`product ${row.stripeProductId} (plan ${plan.code}: name, active, metadata)`);
    return row.stripeProductId;
  }
  const created = await deps.stripe.products.create(params, {
    idempotencyKey: keyOf("product", plan.id, plan.name, plan.active, plan.code),
  });
  await tx
    .insert(stripeProducts)
    .values({ planId: plan.id, stripeProductId: created.id, syncedFingerprint: fingerprint })
    .onConflictDoNothing();
  report.created.push(`product ${created.id} (plan ${plan.code})`);
  return created.id;
}

function priceParams(plan: Plan, variant: PriceVariant, productId: string, meterId: string | undefined): Stripe.PriceCreateParams {
  const { component, hourly } = variant;
  const base = {
    product: productId,
    currency: plan.currency,
    unit_amount: unitAmountOf(plan, component),
    lookup_key: lookupKeyOf(plan.code, variant),
    nickname: hourly ? `${plan.name}: ${component} (per hour)` : `${plan.name}: ${component}`,
    metadata: { pdm_plan_id: plan.id, component, ...(hourly ? { pdm_meter_window: "hour" } : {}) } as Stripe.MetadataParam,
  };
  if (component === "base") return { ...base, recurring: { interval: "month", usage_type: "licensed" } };
  if (!meterId) throw new Error(`The Billing Meter of ${component} is not recorded`);
  const recurring = { interval: "month" as const, usage_type: "metered" as const, meter: meterId };
  if (component === "points_ingested") return { ...base, recurring, transform_quantity: { divide_by: 1000, round: "up" } };
  return { ...base, recurring };
}

/**
 * The price of one plan and variant at the plan's current amount: unchanged when recorded, an
 * earlier price reactivated when the plan goes back to its amount, else a new one (the old one is
 * deactivated). `meterId`: the Billing Meter a metered price is on (the twin's for an hourly one).
 */
async function syncPrice(
  deps: CatalogueDeps,
  outer: Tx,
  plan: Plan,
  variant: PriceVariant,
  productId: string,
  meterId: string | undefined,
  report: CatalogueReport,
): Promise<void> {
  const { component, hourly } = variant;
  const unitAmount = unitAmountOf(plan, component);
  const lookupKey = lookupKeyOf(plan.code, variant);
  const rows = await outer
    .select()
    .from(stripePrices)
    .where(and(eq(stripePrices.planId, plan.id), eq(stripePrices.component, component), eq(stripePrices.hourly, hourly)));
  const current = rows.find((r) => r.active);
  if (current && current.currency === plan.currency && current.unitAmount === unitAmount) {
    report.unchanged.push(`price ${lookupKey} ${unitAmount} ${plan.currency} (${current.stripePriceId})`);
    return;
  }
  const earlier = rows.find((r) => !r.active && r.currency === plan.currency && r.unitAmount === unitAmount);
  let priceId: string;
  if (earlier) {
    // Back to an amount this plan had before: that price comes back rather than a duplicate.
    await deps.stripe.prices.update(
      earlier.stripePriceId,
      { active: true, lookup_key: lookupKey, transfer_lookup_key: true },
      { idempotencyKey: keyOf("price-reactivate", earlier.stripePriceId, current?.stripePriceId ?? "") },
    );
    priceId = earlier.stripePriceId;
  } else {
    const params = priceParams(plan, variant, productId, meterId);
    // The per-event price's key stays what it always was, so a catalogue synced before hourly
    // prices existed gets no duplicate; the hourly one's key names its variant as well.
    const content = hourly ? ["hourly"] : [];
    const created = await deps.stripe.prices.create(current ? { ...params, transfer_lookup_key: true } : params, {
      idempotencyKey: keyOf("price", plan.id, component, plan.currency, unitAmount, productId, meterId ?? "", ...content),
    });
    priceId = created.id;
  }
  /** Marks the recorded price of this plan and component at that currency and amount. */
  const setActive = (tx: Tx, price: { currency: string; unitAmount: number }, active: boolean) =>
    tx
      .update(stripePrices)
      .set({ active })
      .where(
        and(
          eq(stripePrices.planId, plan.id),
          eq(stripePrices.component, component),
          eq(stripePrices.hourly, hourly),
          eq(stripePrices.currency, price.currency),
          eq(stripePrices.unitAmount, price.unitAmount),
        ),
      );
  await outer.transaction(async (tx) => {
    if (current) await setActive(tx, current, false);
    if (earlier) {
      await setActive(tx, earlier, true);
    } else {
      await tx.insert(stripePrices).values({
        planId: plan.id,
        component,
        hourly,
        lookupKey,
        currency: plan.currency,
        unitAmount,
        stripePriceId: priceId,
        active: true,
      });
    }
    // Inside the transaction: should Stripe fail here, nothing is recorded and the next run repeats
    // both steps (the create answers the same price again under its idempotency key).
    if (current) {
      await deps.stripe.prices.update(
        current.stripePriceId,
        { active: false },
        { idempotencyKey: keyOf("price-deactivate", current.stripePriceId, priceId) },
      );
    }
  });
  report.created.push(`price ${lookupKey} ${unitAmount} ${plan.currency} (${priceId})`);
  if (current)
    report.updated.push(`price ${current.stripePriceId} deactivated (was ${lookupKey} ${current.unitAmount} ${current.currency})`);
}

/** The advisory lock every catalogue sync takes: one sync at a time, across processes. */
const CATALOGUE_LOCK = "stripe-catalogue";

/**
 * One sync at a time: the whole run is one transaction that first takes a transaction-scoped
 * advisory lock, so a second run waits for the first to commit and then reads what it recorded.
 * A failed Stripe call ends the run after the Stripe ids recorded so far are committed (they are
 * real objects in Stripe); a database error rolls the run back and the next run repeats it under
 * the same idempotency keys.
 */
async function lockedRun(deps: CatalogueDeps, body: (tx: Tx, report: CatalogueReport) => Promise<void>): Promise<CatalogueReport> {
  const report: CatalogueReport = { created: [], updated: [], unchanged: [] };
  let failure: { error: unknown } | undefined;
  await deps.opsDb.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${CATALOGUE_LOCK}, 0))`);
    try {
      await body(tx, report);
    } catch (error) {
      // Committing keeps what was recorded; after a database error Postgres rolls back instead.
      failure = { error };
    }
  });
  if (failure) throw failure.error;
  return report;
}

/** The plans the sync covers: all sold ones (the free tier is not sold: no product, no prices), or those asked for. */
const soldPlans = (deps: CatalogueDeps, tx: Tx): Promise<Plan[]> =>
  tx
    .select()
    .from(plans)
    .where(and(eq(plans.isDefault, false), deps.planIds ? inArray(plans.id, [...deps.planIds]) : undefined))
    .orderBy(asc(plans.code));

/** The hourly twins recorded so far (npm run billing:hourly-meters creates them). */
async function hourlyMeterIds(tx: Tx): Promise<Map<Meter, string>> {
  const rows = await tx.select().from(stripeMeters);
  return new Map(rows.flatMap((r) => (r.hourlyStripeMeterId ? [[r.meter, r.hourlyStripeMeterId] as const] : [])));
}

/** A plan's prices on the hourly twins that exist. */
async function syncHourlyPricesOf(
  deps: CatalogueDeps,
  tx: Tx,
  plan: Plan,
  productId: string,
  twins: Map<Meter, string>,
  report: CatalogueReport,
): Promise<void> {
  for (const meter of METERS) {
    const twin = twins.get(meter);
    if (twin) await syncPrice(deps, tx, plan, { component: meter, hourly: true }, productId, twin, report);
  }
}

/**
 * The whole catalogue, under the lock: the meters, each sold plan's product and per-event prices,
 * and its prices on the hourly twins once these exist, so a changed amount moves both kinds.
 */
export async function syncCatalogue(deps: CatalogueDeps): Promise<CatalogueReport> {
  let planCount = 0;
  const report = await lockedRun(deps, async (tx, report) => {
    const meters = await syncMeters(deps, tx, report);
    const twins = await hourlyMeterIds(tx);
    const all = await soldPlans(deps, tx);
    planCount = all.length;
    for (const plan of all) {
      const productId = await syncProduct(deps, tx, plan, report);
      for (const component of PRICE_COMPONENTS) {
        const meterId = component === "base" ? undefined : meters.get(component);
        await syncPrice(deps, tx, plan, { component, hourly: false }, productId, meterId, report);
      }
      await syncHourlyPricesOf(deps, tx, plan, productId, twins, report);
    }
  });
  deps.log.info(
    { created: report.created.length, updated: report.updated.length, unchanged: report.unchanged.length, plans: planCount },
    "Stripe catalogue synced",
  );
  return report;
}

/**
 * Only the plans' prices on the hourly twins (npm run billing:hourly-meters, after the twins), under
 * the catalogue's lock. A plan the catalogue sync has not put into Stripe yet (no product) is
 * refused: run npm run billing:sync-catalogue, which creates its prices of both kinds.
 */
export async function syncHourlyPrices(deps: CatalogueDeps): Promise<CatalogueReport> {
  const report = await lockedRun(deps, async (tx, report) => {
    const twins = await hourlyMeterIds(tx);
    const missing = METERS.filter((m) => !twins.has(m));
    if (missing.length > 0) {
      throw new AppError("CONFLICT", `No hourly meter is recorded for ${missing.join(", ")}: run npm run billing:hourly-meters first.`, {
        meters: missing,
      });
    }
    const products = new Map((await tx.select().from(stripeProducts)).map((p) => [p.planId, p.stripeProductId]));
    const all = await soldPlans(deps, tx);
    const unsynced = all.filter((p) => !products.has(p.id)).map((p) => p.code);
    if (unsynced.length > 0) {
      throw new AppError("CONFLICT", `The plans ${unsynced.join(", ")} are not in Stripe yet: run npm run billing:sync-catalogue first.`, {
        plans: unsynced,
      });
    }
    for (const plan of all) await syncHourlyPricesOf(deps, tx, plan, products.get(plan.id) ?? "", twins, report);
  });
  deps.log.info(
    { created: report.created.length, updated: report.updated.length, unchanged: report.unchanged.length },
    "Stripe hourly prices synced",
  );
  return report;
}
