import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { syncCatalogue, syncHourlyPrices } from "../src/billing/catalogue.js";
import { switchToHourlyMeters, syncHourlyMeters } from "../src/billing/catalogue-hourly.js";
import { invoicePreview } from "../src/billing/invoice-preview.js";
import { METERS, type Meter } from "../src/billing/schema.js";
import { utcHour } from "../src/billing/usage.js";
import { sendReports } from "../src/billing/usage-sync.js";
import { planReports } from "../src/billing/usage-sync-plan.js";
import { withTenant } from "../src/db/client.js";
import { OperatorUpdatePlanDocument, StartCheckoutDocument } from "./generated/graphql.js";
import {
  createTestPlan,
  customerOf,
  deliverWebhook,
  financeOperatorToken,
  signedStripeEvent,
  subscribeTenant,
  subscriptionObject,
} from "./support/billing.js";
import { type Api, gql, gqlOk, newTenant, ownerUrl, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { type ProxyRecord, type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";
import { recordTestUsage } from "./support/usage.js";

const HOUR = 3_600_000;
const quiet = { info: () => {}, warn: () => {} };

interface PriceRow {
  component: string;
  hourly: boolean;
  lookupKey: string;
  unitAmount: number;
  currency: string;
  price: string;
  active: boolean;
}

/**
 * The plans' metered prices on the pre-aggregated hourly meters, end to end against stripe-mock
 * through the recording proxy: the catalogue creates and keeps them, the operators' switch adds
 * them to a subscription, Checkout sells them under BILLING_HOURLY_METERS=on, and a subscription
 * priced on them sends its hours there from the hour it started in, never an hour on both meters.
 */
describe("prices on the hourly meters", () => {
  let proxy: StripeProxy;
  let api: Api;
  let apiOn: Api;
  let owner: postgres.Sql;
  let plan: { id: string; code: string };
  const thisHour = utcHour(new Date()).getTime();

  const since = (from: number, method: string, path: string): ProxyRecord[] =>
    proxy.records.slice(from).filter((r) => r.method === method && r.path.split("?")[0] === path);
  const pricesOf = (planId: string) =>
    owner<PriceRow[]>`
      select component, hourly, lookup_key as "lookupKey", unit_amount as "unitAmount", currency, stripe_price_id as price, active
      from stripe_prices where plan_id = ${planId} order by component, hourly, created_at`;
  const activePrice = async (planId: string, component: string, hourly: boolean): Promise<string> => {
    const row = (await pricesOf(planId)).find((p) => p.component === component && p.hourly === hourly && p.active);
    assert.ok(row, `an active ${hourly ? "hourly " : ""}${component} price`);
    return row.price;
  };
  const hourlyFrom = async (tenantId: string): Promise<number | null> => {
    const [row] = await owner<
      { from: Date | null }[]
    >`select hourly_meters_from as from from billing_accounts where tenant_id = ${tenantId}`;
    return row?.from?.getTime() ?? null;
  };
  const twinIds = async (): Promise<Record<Meter, string>> => {
    const rows = await owner<{ meter: Meter; id: string }[]>`select meter, hourly_stripe_meter_id as id from stripe_meters`;
    return Object.fromEntries(rows.map((r) => [r.meter, r.id])) as Record<Meter, string>;
  };

  /** A subscription event's object whose metered items are on the given prices (on the twins when hourly). */
  async function pricedSubscription(input: {
    t: TestTenant;
    customer: string;
    planId: string;
    planCode: string;
    startSeconds: number;
    metered: "hourly" | "per-event" | "both";
  }): Promise<Record<string, unknown>> {
    const id = `sub_test_${randomBytes(8).toString("hex")}`;
    const base = subscriptionObject({
      id,
      customer: input.customer,
      tenantId: input.t.tenantId,
      planId: input.planId,
      planCode: input.planCode,
      status: "active",
      periodStart: input.startSeconds,
    });
    const twins = await twinIds();
    const meters = await owner<{ meter: Meter; id: string }[]>`select meter, stripe_meter_id as id from stripe_meters`;
    const items = (base.items as { data: Record<string, unknown>[] }).data;
    for (const meter of METERS) {
      for (const hourly of input.metered === "both" ? [false, true] : [input.metered === "hourly"]) {
        items.push({
          id: `si_${randomBytes(6).toString("hex")}`,
          object: "subscription_item",
          price: {
            id: await activePrice(input.planId, meter, hourly),
            object: "price",
            lookup_key: `pdm_${input.planCode}_${meter}${hourly ? "_hourly" : ""}`,
            recurring: {
              interval: "month",
              usage_type: "metered",
              meter: hourly ? twins[meter] : meters.find((m) => m.meter === meter)?.id,
            },
          },
        });
      }
    }
    return { ...base, start_date: input.startSeconds };
  }

  /** startCheckout as the tenant's owner on that API: the session's request as the proxy saw it. */
  async function checkout(on: Api, t: TestTenant, planCode: string): Promise<URLSearchParams> {
    const from = proxy.records.length;
    await gqlOk(on, StartCheckoutDocument, { planCode }, t.token);
    const [session] = since(from, "POST", "/v1/checkout/sessions");
    assert.ok(session, "a Checkout Session was requested");
    return session.params;
  }

  before(async () => {
    const base = testConfig();
    proxy = await startStripeProxy(base.STRIPE_API_BASE);
    api = await startApi(testConfig({ STRIPE_API_BASE: proxy.url }));
    apiOn = await startApi(testConfig({ STRIPE_API_BASE: proxy.url, BILLING_HOURLY_METERS: "on" }));
    owner = postgres(ownerUrl(), { max: 1, onnotice: () => {} });
    plan = await createTestPlan(api, { name: "Hourly priced plan", pointsAmountPer1000: 3, predictionAmount: 7, trainingRunAmount: 250 });
    // The per-event catalogue first, then the twins (on a database where they exist already, they stay).
    await syncCatalogue({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet, planIds: [plan.id] });
    await syncHourlyMeters({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet });
  });

  after(async () => {
    await apiOn?.close();
    await api?.close();
    await owner?.end();
    await proxy?.close();
  });

  it("creates each plan's hourly prices like its per-event ones, keyed by content, and nothing on a second run", async () => {
    // The plan's hourly prices are forgotten so that this run creates them (a catalogue synced
    // before the twins existed has none).
    await owner`delete from stripe_prices where plan_id = ${plan.id} and hourly`;
    const from = proxy.records.length;
    const report = await syncHourlyPrices({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet, planIds: [plan.id] });
    assert.equal(report.created.length, 3);
    const creates = since(from, "POST", "/v1/prices");
    assert.equal(creates.length, 3, "one price per metered component, no base price");
    const twins = await twinIds();
    const perEvent = proxy.records.filter(
      (r) => r.method === "POST" && r.path === "/v1/prices" && (r.params.get("lookup_key") ?? "").startsWith(`pdm_${plan.code}_`),
    );
    for (const meter of METERS) {
      const hourly = creates.find((r) => r.params.get("lookup_key") === `pdm_${plan.code}_${meter}_hourly`);
      const twin = perEvent.find((r) => r.params.get("lookup_key") === `pdm_${plan.code}_${meter}`);
      assert.ok(hourly && twin, `${meter}: both prices were requested`);
      for (const field of ["unit_amount", "currency", "product", "transform_quantity[divide_by]", "transform_quantity[round]"]) {
        assert.equal(hourly.params.get(field), twin.params.get(field), `${meter}: ${field} as on the per-event price`);
      }
      assert.equal(hourly.params.get("recurring[meter]"), twins[meter], `${meter}: on the hourly twin`);
      assert.equal(hourly.params.get("recurring[usage_type]"), "metered");
      assert.equal(hourly.params.get("metadata[pdm_meter_window]"), "hour");
      assert.ok(hourly.idempotencyKey && hourly.idempotencyKey !== twin.idempotencyKey, `${meter}: a key of its own`);
      assert.ok((hourly.status ?? 0) < 300, `stripe-mock accepted it (${hourly.status})`);
    }
    assert.equal(creates.find((r) => r.params.get("lookup_key")?.endsWith("points_ingested_hourly"))?.params.get("unit_amount"), "3");
    assert.equal(creates.find((r) => r.params.get("lookup_key")?.endsWith("predictions_hourly"))?.params.get("unit_amount"), "7");
    const rows = (await pricesOf(plan.id)).filter((p) => p.hourly);
    assert.deepEqual(rows.map((r) => [r.component, r.lookupKey, r.unitAmount, r.currency, r.active]).sort(), [
      ["points_ingested", `pdm_${plan.code}_points_ingested_hourly`, 3, "eur", true],
      ["predictions", `pdm_${plan.code}_predictions_hourly`, 7, "eur", true],
      ["training_runs", `pdm_${plan.code}_training_runs_hourly`, 250, "eur", true],
    ]);

    // Forgotten again: the same content gives the same keys, so Stripe would answer the same prices.
    const keys = creates.map((r) => r.idempotencyKey).sort();
    await owner`delete from stripe_prices where plan_id = ${plan.id} and hourly`;
    const repeat = proxy.records.length;
    await syncHourlyPrices({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet, planIds: [plan.id] });
    assert.deepEqual(
      since(repeat, "POST", "/v1/prices")
        .map((r) => r.idempotencyKey)
        .sort(),
      keys,
    );
    const idle = proxy.records.length;
    const again = await syncHourlyPrices({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet, planIds: [plan.id] });
    const whole = await syncCatalogue({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet, planIds: [plan.id] });
    assert.deepEqual([again.created, whole.created, whole.updated], [[], [], []]);
    assert.equal(proxy.records.length, idle, "nothing sent on a second run");
  });

  it("moves the hourly price with the per-event one when a plan's amount changes", async () => {
    const changed = await createTestPlan(api, { name: "Changing plan", predictionAmount: 10 });
    await syncCatalogue({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet, planIds: [changed.id] });
    const oldHourly = await activePrice(changed.id, "predictions", true);
    const oldPerEvent = await activePrice(changed.id, "predictions", false);
    await gqlOk(
      api,
      OperatorUpdatePlanDocument,
      { id: changed.id, input: { predictionAmount: 12 }, reason: "ticket 9: new prediction price" },
      await financeOperatorToken(api),
    );
    const from = proxy.records.length;
    await syncCatalogue({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet, planIds: [changed.id] });
    const creates = since(from, "POST", "/v1/prices");
    assert.deepEqual(
      creates.map((r) => [r.params.get("lookup_key"), r.params.get("unit_amount"), r.params.get("transfer_lookup_key")]).sort(),
      [
        [`pdm_${changed.code}_predictions`, "12", "true"],
        [`pdm_${changed.code}_predictions_hourly`, "12", "true"],
      ],
    );
    const deactivated = proxy.records
      .slice(from)
      .filter((r) => r.method === "POST" && r.params.get("active") === "false")
      .map((r) => r.path)
      .sort();
    assert.deepEqual(deactivated, [`/v1/prices/${oldHourly}`, `/v1/prices/${oldPerEvent}`].sort());
    const rows = (await pricesOf(changed.id)).filter((p) => p.component === "predictions");
    assert.deepEqual(rows.map((r) => [r.hourly, r.unitAmount, r.active]).sort(), [
      [false, 10, false],
      [false, 12, true],
      [true, 10, false],
      [true, 12, true],
    ]);
  });

  it("refuses to switch a tenant without a live subscription, or whose plan has no hourly prices", async () => {
    const next = new Date(thisHour + HOUR);
    const unsubscribed = await newTenant(api, "Not subscribed");
    await checkout(api, unsubscribed, plan.code);
    await assert.rejects(switchToHourlyMeters(api.services, { tenantId: unsubscribed.tenantId, from: next }), {
      code: "CONFLICT",
      message: /no live Stripe subscription/,
    });
    const bare = await createTestPlan(api, { name: "Plan without hourly prices" });
    const t = await newTenant(api, "Subscribed without hourly prices");
    await subscribeTenant(api, t, bare.code);
    await owner`update stripe_prices set active = false where plan_id = ${bare.id} and hourly`;
    const from = proxy.records.length;
    await assert.rejects(switchToHourlyMeters(api.services, { tenantId: t.tenantId, from: next }), {
      code: "CONFLICT",
      message: /no hourly price for points_ingested, predictions, training_runs .*npm run billing:hourly-meters/,
    });
    assert.deepEqual(since(from, "POST", "/v1/subscription_items"), [], "nothing added");
    assert.equal(await hourlyFrom(t.tenantId), null);
  });

  it("adds the plan's hourly prices to the subscription without proration and keeps its per-event items, once", async () => {
    const t = await newTenant(api, "Switched subscriber");
    const { subscriptionId } = await subscribeTenant(api, t, plan.code);
    const next = new Date(thisHour + HOUR);
    const from = proxy.records.length;
    const result = await switchToHourlyMeters(api.services, { tenantId: t.tenantId, from: next });
    const hourlyPrices = await Promise.all(METERS.map((m) => activePrice(plan.id, m, true)));
    const adds = since(from, "POST", "/v1/subscription_items");
    assert.deepEqual(adds.map((r) => r.params.get("price")).sort(), [...hourlyPrices].sort());
    for (const r of adds) {
      assert.equal(r.params.get("subscription"), subscriptionId);
      assert.equal(r.params.get("proration_behavior"), "none");
      assert.equal(r.params.get("quantity"), null, "metered: no quantity");
      assert.match(r.idempotencyKey ?? "", /^pdm-hourly-item-[0-9a-f]{48}$/);
      assert.ok((r.status ?? 0) < 300, `stripe-mock accepted it (${r.status})`);
    }
    assert.equal(new Set(adds.map((r) => r.idempotencyKey)).size, 3);
    assert.equal(since(from, "GET", "/v1/subscription_items")[0]?.params.get("subscription"), subscriptionId, "the items were read first");
    assert.deepEqual(
      proxy.records.slice(from).filter((r) => r.method === "DELETE" || r.path.startsWith("/v1/subscriptions")),
      [],
      "the per-event items and the subscription stay as they are",
    );
    assert.equal(result.addedItems.length, 3);
    assert.equal(await hourlyFrom(t.tenantId), next.getTime());

    // A rerun is not refused and asks for the same items under the same keys.
    const rerun = proxy.records.length;
    await switchToHourlyMeters(api.services, { tenantId: t.tenantId, from: next });
    assert.deepEqual(
      since(rerun, "POST", "/v1/subscription_items")
        .map((r) => r.idempotencyKey)
        .sort(),
      adds.map((r) => r.idempotencyKey).sort(),
    );
    assert.equal(await hourlyFrom(t.tenantId), next.getTime());
  });

  it("refuses to move a switch past hours already sent to the hourly meters", async () => {
    const t = await newTenant(api, "Moved switch");
    await subscribeTenant(api, t, plan.code);
    const early = new Date(thisHour - 5 * HOUR);
    await switchToHourlyMeters(api.services, { tenantId: t.tenantId, from: early });
    await recordTestUsage(api, t.tenantId, [{ meter: "predictions", quantity: 2, at: new Date(thisHour - 3 * HOUR + 60_000) }]);
    await planReports(api.services, { tenantId: t.tenantId, now: new Date() });
    // Later than the report: without the rule its resends would go to the per-event meter as well.
    await assert.rejects(switchToHourlyMeters(api.services, { tenantId: t.tenantId, from: new Date(thisHour - HOUR) }), {
      code: "CONFLICT",
      message: /already reported to the hourly meters/,
    });
    assert.equal(await hourlyFrom(t.tenantId), early.getTime());
  });

  it("sells the hourly prices in Checkout when the deployment says so, or when the tenant's hours go there already", async () => {
    const hourly = await Promise.all(METERS.map((m) => activePrice(plan.id, m, true)));
    const perEvent = await Promise.all(METERS.map((m) => activePrice(plan.id, m, false)));
    const base = await activePrice(plan.id, "base", false);
    const lines = (p: URLSearchParams) => [0, 1, 2, 3].map((i) => p.get(`line_items[${i}][price]`));

    const buyer = await newTenant(apiOn, "Hourly buyer");
    assert.deepEqual(lines(await checkout(apiOn, buyer, plan.code)), [base, ...hourly]);
    const classic = await newTenant(api, "Per-event buyer");
    assert.deepEqual(lines(await checkout(api, classic, plan.code)), [base, ...perEvent]);
    // Switched before (e.g. subscribing again after a cancellation): hourly whatever the setting.
    const returning = await newTenant(api, "Returning buyer");
    await owner`insert into billing_accounts (tenant_id, hourly_meters_from) values (${returning.tenantId}, ${new Date(thisHour - 48 * HOUR)})`;
    assert.deepEqual(lines(await checkout(api, returning, plan.code)), [base, ...hourly]);

    // Without hourly prices for the plan the sale is refused rather than sold on meters no hour goes to.
    const bare = await createTestPlan(api, { name: "Plan not yet hourly" });
    await syncCatalogue({ opsDb: api.services.opsDb, stripe: api.services.stripe, log: quiet, planIds: [bare.id] });
    await owner`update stripe_prices set active = false where plan_id = ${bare.id} and hourly`;
    const t = await newTenant(apiOn, "Too early");
    const from = proxy.records.length;
    const answer = await gql(apiOn, StartCheckoutDocument, { planCode: bare.code }, t.token);
    assert.equal(answer.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(answer.errors?.[0]?.message ?? "", /not available in the payment system yet/);
    assert.deepEqual(since(from, "POST", "/v1/checkout/sessions"), []);
  });

  it("sends a new hourly subscription's hours to the hourly meters from the hour it started in, once", async () => {
    const t = await newTenant(apiOn, "Hourly subscriber");
    await checkout(apiOn, t, plan.code);
    const customer = (await customerOf(apiOn, t)) ?? "";
    const start = Math.floor(Date.now() / 1000) - 20 * 60;
    const sub = await pricedSubscription({ t, customer, planId: plan.id, planCode: plan.code, startSeconds: start, metered: "hourly" });
    const created = await deliverWebhook(apiOn, signedStripeEvent(apiOn, "customer.subscription.created", sub));
    assert.equal(created.body.outcome, "applied");
    const startHour = Math.floor((start * 1000) / HOUR) * HOUR;
    assert.equal(await hourlyFrom(t.tenantId), startHour);
    await deliverWebhook(apiOn, signedStripeEvent(apiOn, "customer.subscription.updated", sub));
    const audits = await owner<{ data: { from: string; reportedToPerEventMetersUntil: string | null } }[]>`
      select data from audit_log where tenant_id = ${t.tenantId} and action = 'billing.hourly_meters_started'`;
    assert.deepEqual(
      audits.map((a) => [a.data.from, a.data.reportedToPerEventMetersUntil]),
      [[new Date(startHour).toISOString(), null]],
      "one entry: the second event changed nothing",
    );
  });

  it("starts a late-known hourly subscription after the hours already reported to the per-event meters", async () => {
    const t = await newTenant(apiOn, "Late webhook");
    await checkout(apiOn, t, plan.code);
    const customer = (await customerOf(apiOn, t)) ?? "";
    // The customer exists since the checkout: the sync reported hour -3 before Stripe's event came.
    await recordTestUsage(apiOn, t.tenantId, [{ meter: "predictions", quantity: 4, at: new Date(thisHour - 3 * HOUR + 60_000) }]);
    await planReports(apiOn.services, { tenantId: t.tenantId, now: new Date() });
    const start = Math.floor((thisHour - 5 * HOUR + 10 * 60_000) / 1000);
    const sub = await pricedSubscription({ t, customer, planId: plan.id, planCode: plan.code, startSeconds: start, metered: "hourly" });
    await deliverWebhook(apiOn, signedStripeEvent(apiOn, "customer.subscription.created", sub));
    assert.equal(await hourlyFrom(t.tenantId), thisHour - 2 * HOUR, "the hour after the newest reported one, never an hour on both");
    const [audit] = await owner<{ data: { from: string; startHour: string; reportedToPerEventMetersUntil: string } }[]>`
      select data from audit_log where tenant_id = ${t.tenantId} and action = 'billing.hourly_meters_started'`;
    assert.deepEqual(audit?.data && [audit.data.startHour, audit.data.reportedToPerEventMetersUntil], [
      new Date(thisHour - 5 * HOUR).toISOString(),
      new Date(thisHour - 3 * HOUR).toISOString(),
    ]);
  });

  it("leaves a subscription with per-event metered items to the operators' switch", async () => {
    for (const metered of ["per-event", "both"] as const) {
      const t = await newTenant(apiOn, `Subscriber ${metered}`);
      await checkout(apiOn, t, plan.code);
      const customer = (await customerOf(apiOn, t)) ?? "";
      const start = Math.floor(Date.now() / 1000) - 60;
      const sub = await pricedSubscription({ t, customer, planId: plan.id, planCode: plan.code, startSeconds: start, metered });
      assert.equal((await deliverWebhook(apiOn, signedStripeEvent(apiOn, "customer.subscription.created", sub))).body.outcome, "applied");
      assert.equal(await hourlyFrom(t.tenantId), null, metered);
    }
  });

  it("previews a switched tenant's period with every hour priced once, as Stripe's two items bill it", async () => {
    const t = await newTenant(api, "Previewed switch");
    await checkout(api, t, plan.code);
    const customer = (await customerOf(api, t)) ?? "";
    const periodStart = Math.floor((thisHour - 10 * HOUR) / 1000);
    const sub = subscriptionObject({
      id: `sub_test_${randomBytes(8).toString("hex")}`,
      customer,
      tenantId: t.tenantId,
      planId: plan.id,
      planCode: plan.code,
      status: "active",
      periodStart,
    });
    assert.equal((await deliverWebhook(api, signedStripeEvent(api, "customer.subscription.created", sub))).body.outcome, "applied");
    const switchAt = new Date(thisHour - 4 * HOUR);
    await switchToHourlyMeters(api.services, { tenantId: t.tenantId, from: switchAt });
    const at = (hoursAgo: number) => new Date(thisHour - hoursAgo * HOUR + 7 * 60_000);
    await recordTestUsage(api, t.tenantId, [
      { meter: "predictions", quantity: 5, at: at(6) },
      { meter: "predictions", quantity: 3, at: at(5) },
      { meter: "predictions", quantity: 7, at: at(3) },
      { meter: "predictions", quantity: 4, at: at(2) },
      // 2,200 before the switch and 1,300 after: Stripe rounds each item up, 3 + 2 thousands, not 4.
      { meter: "points_ingested", quantity: 2200, at: at(6) },
      { meter: "points_ingested", quantity: 1300, at: at(3) },
    ]);
    const from = proxy.records.length;
    await planReports(api.services, { tenantId: t.tenantId, now: new Date() });
    const sent = await sendReports({ db: api.services.db, stripe: api.services.stripe }, { tenantId: t.tenantId });
    assert.equal(sent.unbillable, 0);
    // What Stripe bills: per item, the per-event meter's events summed, the hourly meter's newest per hour.
    const events = since(from, "POST", "/v1/billing/meter_events").filter((r) => r.params.get("payload[stripe_customer_id]") === customer);
    const byItem = new Map<string, number>();
    for (const e of events)
      byItem.set(`${e.params.get("event_name")}|${e.params.get("identifier")}`, Number(e.params.get("payload[value]")));
    const itemSum = (name: string) => [...byItem].filter(([k]) => k.startsWith(`${name}|`)).reduce((s, [, v]) => s + v, 0);
    assert.deepEqual(
      [
        itemSum("pdm_predictions"),
        itemSum("pdm_predictions_hourly"),
        itemSum("pdm_points_ingested"),
        itemSum("pdm_points_ingested_hourly"),
      ],
      [8, 11, 2200, 1300],
      "each hour on one meter",
    );
    const stripeAmounts = {
      predictions: (itemSum("pdm_predictions") + itemSum("pdm_predictions_hourly")) * 7,
      points_ingested: (Math.ceil(itemSum("pdm_points_ingested") / 1000) + Math.ceil(itemSum("pdm_points_ingested_hourly") / 1000)) * 3,
    };
    const preview = await withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
      invoicePreview(tx, { tenantId: t.tenantId, now: new Date() }),
    );
    const line = (c: string) => preview.lines.find((l) => l.component === c);
    assert.equal(line("predictions")?.quantity, 19);
    assert.equal(line("predictions")?.amount, stripeAmounts.predictions);
    assert.equal(line("points_ingested")?.quantity, 3500);
    assert.equal(line("points_ingested")?.amount, stripeAmounts.points_ingested);
    assert.equal(line("points_ingested")?.amount, 15);
    assert.match(line("points_ingested")?.description ?? "", /2,200 points before the switch to the hourly meters, 1,300 points after/);
  });
});
