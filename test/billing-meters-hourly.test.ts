import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import type Stripe from "stripe";
import { syncCatalogue, syncHourlyPrices } from "../src/billing/catalogue.js";
import { switchToHourlyMeters, syncHourlyMeters } from "../src/billing/catalogue-hourly.js";
import { type Meter, stripeMeters } from "../src/billing/schema.js";
import { createStripe } from "../src/billing/stripe.js";
import { utcHour } from "../src/billing/usage.js";
import { sendReports } from "../src/billing/usage-sync.js";
import { planReports, reportIdentifier } from "../src/billing/usage-sync-plan.js";
import { createTestPlan } from "./support/billing.js";
import { type Api, newTenant, ownerUrl, startApi, testConfig } from "./support/harness.js";
import { type ProxyRecord, type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";
import { recordTestUsage, seedBillableTenant } from "./support/usage.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const METER_EVENTS = "/v1/billing/meter_events";
const HOURLY = (meter: Meter) => `pdm_${meter}_hourly`;

/**
 * Hours a tenant sends to the pre-aggregated meters (event_time_window: hour) go as one event per
 * hour carrying the hour's running total; Stripe keeps the newest event of each hour and customer.
 * stripe-mock keeps no state, so the requests that reach it are read through the recording proxy
 * and counted the way Stripe counts them: per-event meters sum distinct identifiers, pre-aggregated
 * meters keep the last event of each hour.
 */
describe("usage sync to pre-aggregated hourly meters", () => {
  let api: Api;
  let owner: postgres.Sql;
  let proxy: StripeProxy;
  let stripe: Stripe;
  let tenantId = "";
  let customer = "";
  let planId = "";
  const quiet = { info: () => {}, warn: () => {} };
  const thisHour = utcHour(new Date()).getTime();
  const switchHour = new Date(thisHour - 6 * HOUR);
  const h3 = new Date(thisHour - 3 * HOUR);
  const h4 = new Date(thisHour - 4 * HOUR);
  const before8 = new Date(thisHour - 8 * HOUR);

  const ours = (): ProxyRecord[] =>
    proxy.records.filter((r) => r.method === "POST" && r.path === METER_EVENTS && r.params.get("payload[stripe_customer_id]") === customer);
  const eventsOf = (records: ProxyRecord[], meter: Meter, hour: Date) =>
    records.filter(
      (r) => r.params.get("event_name") === HOURLY(meter) && r.params.get("timestamp") === String(hour.getTime() / 1000 + 3599),
    );
  const sync = async (now: Date) => {
    await planReports(api.services, { tenantId, now });
    return sendReports({ db: api.services.db, stripe }, { tenantId });
  };
  const reportStates = () =>
    owner<{ identifier: string; seq: number; quantity: number; state: string }[]>`
      select identifier, seq, quantity::float8 as quantity, state from meter_reports where tenant_id = ${tenantId} order by meter, hour, seq`;

  /** What Stripe would bill per meter: per-event meters sum distinct identifiers, hourly ones keep each hour's newest event. */
  function billedByStripe(): Map<string, number> {
    const distinct = new Map<string, number>();
    const newestOfHour = new Map<string, number>();
    for (const e of ours().filter((r) => r.forwarded)) {
      const name = e.params.get("event_name") ?? "";
      const value = Number(e.params.get("payload[value]"));
      if (name.endsWith("_hourly")) newestOfHour.set(`${name}|${e.params.get("timestamp")}`, value);
      else distinct.set(`${name}|${e.params.get("identifier")}`, value);
    }
    const billed = new Map<string, number>();
    for (const [key, value] of [...distinct, ...newestOfHour]) {
      const meter = (key.split("|")[0] ?? "").replace(/^pdm_/, "").replace(/_hourly$/, "");
      billed.set(meter, (billed.get(meter) ?? 0) + value);
    }
    return billed;
  }

  async function assertStripeCountsLedger(): Promise<void> {
    const ledger = await owner<{ meter: string; quantity: number }[]>`
      select meter, sum(quantity)::float8 as quantity from usage_ledger where tenant_id = ${tenantId} group by meter order by meter`;
    const billed = billedByStripe();
    for (const row of ledger) assert.equal(billed.get(row.meter), row.quantity, `${row.meter}: Stripe counts the ledger`);
  }

  before(async () => {
    api = await startApi();
    owner = postgres(ownerUrl(), { max: 1, onnotice: () => {} });
    proxy = await startStripeProxy(testConfig().STRIPE_API_BASE);
    stripe = createStripe(api.services.config.STRIPE_SECRET_KEY, proxy.url, 1_000);
    const tenant = await newTenant(api, "Hourly Metered");
    tenantId = tenant.tenantId;
    customer = await seedBillableTenant(api, tenantId, [
      { meter: "predictions", quantity: 7, at: new Date(h3.getTime() + 5 * 60_000) },
      { meter: "predictions", quantity: 5, at: new Date(h3.getTime() + 40 * 60_000) },
      { meter: "predictions", quantity: 11, at: new Date(h4.getTime() + 10 * 60_000) },
      { meter: "points_ingested", quantity: 3000, at: new Date(h4.getTime() + 30 * 60_000) },
      // Before the switch: stays on the per-event meter.
      { meter: "predictions", quantity: 2, at: new Date(before8.getTime() + 15 * 60_000) },
    ]);
    // A subscription to a plan in Stripe's catalogue: the switch adds the plan's hourly prices to it.
    planId = (await createTestPlan(api, { name: "Hourly metered plan" })).id;
    await syncCatalogue({ opsDb: api.services.opsDb, stripe, log: quiet, planIds: [planId] });
    await owner`
      update billing_accounts set plan_id = ${planId}, stripe_subscription_id = ${`sub_test_${tenantId}`}, subscription_status = 'active'
      where tenant_id = ${tenantId}`;
  });

  after(async () => {
    await proxy?.close();
    await owner?.end();
    await api?.close();
  });

  it("creates each meter's hourly twin with event_time_window hour, once", async () => {
    // From scratch on this database: the twins a previous run recorded are forgotten first.
    await owner`update stripe_meters set hourly_event_name = null, hourly_stripe_meter_id = null`;
    const from = proxy.records.length;
    const first = await syncHourlyMeters({ opsDb: api.services.opsDb, stripe, log: quiet });
    const creates = proxy.records.slice(from).filter((r) => r.method === "POST" && r.path === "/v1/billing/meters");
    assert.deepEqual(creates.map((r) => r.params.get("event_name")).sort(), [
      HOURLY("points_ingested"),
      HOURLY("predictions"),
      HOURLY("training_runs"),
    ]);
    for (const r of creates) {
      assert.equal(r.params.get("event_time_window"), "hour");
      assert.equal(r.params.get("default_aggregation[formula]"), "sum");
      assert.equal(r.params.get("customer_mapping[event_payload_key]"), "stripe_customer_id");
      assert.ok(r.idempotencyKey);
      assert.ok((r.status ?? 0) < 300, `stripe-mock accepted it (${r.status})`);
    }
    assert.equal(first.created.length, 3);
    const rows = await api.services.opsDb.db.select().from(stripeMeters);
    assert.deepEqual(rows.map((r) => [r.meter, r.hourlyEventName, r.eventName]).sort(), [
      ["points_ingested", HOURLY("points_ingested"), "pdm_points_ingested"],
      ["predictions", HOURLY("predictions"), "pdm_predictions"],
      ["training_runs", HOURLY("training_runs"), "pdm_training_runs"],
    ]);
    assert.ok(rows.every((r) => r.hourlyStripeMeterId && r.hourlyStripeMeterId !== r.stripeMeterId));
    const again = proxy.records.length;
    const second = await syncHourlyMeters({ opsDb: api.services.opsDb, stripe, log: quiet });
    assert.deepEqual(second.created, []);
    assert.equal(proxy.records.length, again, "nothing sent on a second run");
  });

  it("switches a tenant only at an hour boundary", async () => {
    await syncHourlyPrices({ opsDb: api.services.opsDb, stripe, log: quiet, planIds: [planId] });
    await assert.rejects(
      switchToHourlyMeters({ db: api.services.db, stripe }, { tenantId, from: new Date(switchHour.getTime() + 60_000) }),
      {
        code: "VALIDATION",
      },
    );
    await switchToHourlyMeters({ db: api.services.db, stripe }, { tenantId, from: switchHour });
    const [account] = await owner<{ from: Date }[]>`select hourly_meters_from as from from billing_accounts where tenant_id = ${tenantId}`;
    assert.equal(account?.from.getTime(), switchHour.getTime());
  });

  it("sends each hour after the switch as one event carrying the hour's total, and earlier hours per event", async () => {
    // Every answer is lost: Stripe got the events, the reports stay sent.
    proxy.setFaults((method, path) => (method === "POST" && path === METER_EVENTS ? "timeout" : "pass"));
    await assert.rejects(sync(new Date()), /not confirmed by Stripe yet/);
    proxy.setFaults(() => "pass");
    const [h3Event] = eventsOf(ours(), "predictions", h3);
    assert.equal(h3Event?.params.get("payload[value]"), "12", "the hour's total, not one ledger row");
    assert.equal(h3Event?.params.get("identifier"), reportIdentifier(tenantId, "predictions", h3.getTime() / 1000, 1));
    assert.equal(h3Event?.idempotencyKey, h3Event?.params.get("identifier"));
    assert.equal(eventsOf(ours(), "predictions", h4)[0]?.params.get("payload[value]"), "11");
    assert.equal(eventsOf(ours(), "points_ingested", h4)[0]?.params.get("payload[value]"), "3000");
    const early = ours().filter((e) => e.params.get("event_name") === "pdm_predictions");
    assert.deepEqual(
      [...new Set(early.map((e) => `${e.params.get("payload[value]")}@${e.params.get("timestamp")}`))],
      [`2@${before8.getTime() / 1000 + 3599}`],
      "the hour before the switch goes to the per-event meter",
    );
    assert.ok((await reportStates()).every((r) => r.state === "sent"));
    await assert.rejects(switchToHourlyMeters({ db: api.services.db, stripe }, { tenantId, from: before8 }), {
      code: "CONFLICT",
      message: /already reported to the per-event meters/,
    });
  });

  it("resends the same total for the same hour a simulated day later", async () => {
    const first = eventsOf(ours(), "predictions", h3);
    const result = await sync(new Date(Date.now() + DAY));
    assert.ok(result.confirmed >= 1);
    const all = eventsOf(ours(), "predictions", h3);
    assert.ok(all.length > first.length, "the hour was sent again");
    const sent = new Set(all.map((e) => `${e.params.get("identifier")}|${e.params.get("payload[value]")}|${e.params.get("timestamp")}`));
    assert.equal(sent.size, 1, `one identifier, total and hour for every send: ${[...sent].join(", ")}`);
    assert.deepEqual(
      (await reportStates()).filter((r) => r.state !== "confirmed"),
      [],
    );
    await assertStripeCountsLedger();
  });

  it("sends late usage for a sent hour as the hour's new total under the newest report's identifier", async () => {
    await recordTestUsage(api, tenantId, [{ meter: "predictions", quantity: 4, at: new Date(h3.getTime() + 55 * 60_000) }]);
    const from = ours().length;
    await sync(new Date());
    const late = ours().slice(from);
    assert.equal(late.length, 1, "only the hour that grew is sent");
    assert.equal(late[0]?.params.get("event_name"), HOURLY("predictions"));
    assert.equal(late[0]?.params.get("payload[value]"), "16", "12 sent before plus 4 late");
    assert.equal(late[0]?.params.get("timestamp"), String(h3.getTime() / 1000 + 3599));
    assert.equal(late[0]?.params.get("identifier"), reportIdentifier(tenantId, "predictions", h3.getTime() / 1000, 2));
    const h3Reports = (await reportStates()).filter((r) => r.identifier.includes(h3.toISOString().slice(0, 13).replace(/[-T]/g, "")));
    assert.deepEqual(
      h3Reports.filter((r) => r.identifier.includes("_predictions_")).map((r) => [r.seq, r.quantity, r.state]),
      [
        [1, 12, "confirmed"],
        [2, 4, "confirmed"],
      ],
    );
    await assertStripeCountsLedger();
  });

  it("covers an unanswered report with the hour's newer total: one event, both reports confirmed", async () => {
    // A report whose answer was lost, then late usage in the same hour before the next sync.
    await recordTestUsage(api, tenantId, [{ meter: "predictions", quantity: 6, at: new Date(h4.getTime() + 50 * 60_000) }]);
    proxy.setFaults((method, path) => (method === "POST" && path === METER_EVENTS ? "timeout" : "pass"));
    await assert.rejects(sync(new Date()), /not confirmed by Stripe yet/);
    proxy.setFaults(() => "pass");
    await recordTestUsage(api, tenantId, [{ meter: "predictions", quantity: 1, at: new Date(h4.getTime() + 51 * 60_000) }]);
    const from = ours().length;
    const result = await sync(new Date(Date.now() + 2 * DAY));
    const sent = ours().slice(from);
    assert.deepEqual(
      sent.map((e) => [e.params.get("identifier"), e.params.get("payload[value]")]),
      [[reportIdentifier(tenantId, "predictions", h4.getTime() / 1000, 3), "18"]],
      "one event: 11 + 6 + 1",
    );
    assert.equal(result.confirmed, 2);
    assert.equal(result.quantityByMeter.predictions, 7);
    await assertStripeCountsLedger();
  });

  it("leaves a rejected report out of its hour's later total and never resends it", async () => {
    // Stripe's error report named the hour's last event (seq 3, total 18): the report is rejected
    // as the webhook marks it, so the hour holds nothing of that event in Stripe.
    const rejectedId = reportIdentifier(tenantId, "predictions", h4.getTime() / 1000, 3);
    await owner`
      update meter_reports set state = 'rejected', rejected_reason = 'meter_event_invalid_value: test', rejected_at = now()
      where tenant_id = ${tenantId} and identifier = ${rejectedId}`;
    const idle = ours().length;
    await sync(new Date());
    assert.equal(ours().length, idle, "a rejected report alone is not sent again");
    await recordTestUsage(api, tenantId, [{ meter: "predictions", quantity: 2, at: new Date(h4.getTime() + 52 * 60_000) }]);
    const from = ours().length;
    const result = await sync(new Date());
    assert.deepEqual(
      ours()
        .slice(from)
        .map((e) => [e.params.get("identifier"), e.params.get("payload[value]"), e.params.get("event_name")]),
      [[reportIdentifier(tenantId, "predictions", h4.getTime() / 1000, 4), "19", HOURLY("predictions")]],
      "the later total: 11 + 6 confirmed + 2 late, without the rejected 1",
    );
    assert.equal(result.confirmed, 1);
    const h4States = (await reportStates()).filter((r) => r.identifier.startsWith(rejectedId.slice(0, -1)));
    assert.deepEqual(
      h4States.map((r) => [r.seq, r.state]),
      [
        [1, "confirmed"],
        [2, "confirmed"],
        [3, "rejected"],
        [4, "confirmed"],
      ],
    );
  });

  it("makes every report an hour's event covered unbillable when Stripe does not know the customer", async () => {
    await recordTestUsage(api, tenantId, [{ meter: "predictions", quantity: 3, at: new Date(h3.getTime() + 56 * 60_000) }]);
    proxy.setFaults((method, path) => (method === "POST" && path === METER_EVENTS ? "timeout" : "pass"));
    await assert.rejects(sync(new Date()), /not confirmed by Stripe yet/);
    await recordTestUsage(api, tenantId, [{ meter: "predictions", quantity: 1, at: new Date(h3.getTime() + 57 * 60_000) }]);
    proxy.setFaults((method, path) => (method === "POST" && path === METER_EVENTS ? "customerMissing" : "pass"));
    const from = ours().length;
    const result = await sync(new Date());
    proxy.setFaults(() => "pass");
    assert.deepEqual(
      ours()
        .slice(from)
        .map((e) => [e.params.get("identifier"), e.params.get("payload[value]")]),
      [[reportIdentifier(tenantId, "predictions", h3.getTime() / 1000, 4), "20"]],
      "one event for the hour: 16 confirmed + 3 sent + 1 late",
    );
    assert.equal(result.unbillable, 2);
    const [three, four] = await owner<{ state: string; reason: string | null }[]>`
      select state, unbillable_reason as reason from meter_reports
      where tenant_id = ${tenantId} and identifier = any(${[3, 4].map((n) => reportIdentifier(tenantId, "predictions", h3.getTime() / 1000, n))})
      order by seq`;
    assert.deepEqual(
      [three, four],
      [
        { state: "unbillable", reason: "customer_deleted" },
        { state: "unbillable", reason: "customer_deleted" },
      ],
    );
  });

  it("sets an hour older than Stripe's 35 days aside before sending its total", async () => {
    await recordTestUsage(api, tenantId, [{ meter: "points_ingested", quantity: 500, at: new Date(h4.getTime() + 45 * 60_000) }]);
    await planReports(api.services, { tenantId, now: new Date() });
    const from = ours().length;
    const result = await sendReports({ db: api.services.db, stripe }, { tenantId, now: new Date(Date.now() + 36 * DAY) });
    assert.equal(ours().length, from, "nothing sent");
    assert.equal(result.unbillable, 1);
    const [report] = await owner<{ state: string; reason: string | null }[]>`
      select state, unbillable_reason as reason from meter_reports
      where tenant_id = ${tenantId} and identifier = ${reportIdentifier(tenantId, "points_ingested", h4.getTime() / 1000, 2)}`;
    assert.deepEqual(report, { state: "unbillable", reason: "too_old" });
  });
});
