import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import type { Meter } from "../src/billing/schema.js";
import { utcHour } from "../src/billing/usage.js";
import { runUsageSync } from "../src/billing/usage-schedule.js";
import { tenantsToSync } from "../src/billing/usage-sync.js";
import { reportIdentifier } from "../src/billing/usage-sync-plan.js";
import * as g from "./generated/graphql.js";
import { createTestPlan, deliverWebhook, signedStripeEvent, subscribeTenant, subscriptionObject } from "./support/billing.js";
import { type Api, codeOf, gqlOk, newOperator, newTenant, ownerUrl, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";
import { ensureStripeMeters, recordTestUsage, spawnWorkerWith } from "./support/usage.js";
import { temporalClient } from "./support/worker.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const METER_EVENTS = "/v1/billing/meter_events";

interface Report {
  identifier: string;
  state: string;
  unbillable_reason: string | null;
  quantity: number;
}

/**
 * Hours that no invoice can include, through the real usage sync (Temporal worker, stripe-mock
 * behind the recording proxy): an hour older than Stripe's 35 days, usage before the subscription
 * started, and a customer Stripe answers it does not know. Each gets `unbillable` with its reason,
 * none is confirmed, and finance operators see them with the amount they represent.
 */
describe("hours that cannot reach Stripe", () => {
  let api: Api;
  let owner: postgres.Sql;
  let proxy: StripeProxy;
  let temporal: Awaited<ReturnType<typeof temporalClient>>;
  let worker: ChildProcess | undefined;
  let planCode = "";
  let planId = "";
  const thisHour = utcHour(new Date()).getTime();
  const recent = thisHour - 3 * HOUR;
  const old = thisHour - 40 * DAY;
  const tenants: Record<"old" | "early" | "gone", { t: TestTenant; customer: string }> = {} as never;

  const eventsOf = (identifier: string) =>
    proxy.records.filter((r) => r.method === "POST" && r.path === METER_EVENTS && r.params.get("identifier") === identifier);
  const reportsOf = async (tenantId: string): Promise<Report[]> => [
    ...(await owner<Report[]>`
      select identifier, state, unbillable_reason, quantity::float8 as quantity from meter_reports
      where tenant_id = ${tenantId} order by meter, hour, seq`),
  ];
  const id = (tenantId: string, meter: Meter, at: number) => reportIdentifier(tenantId, meter, at / 1000, 1);

  /** Subscribes through checkout and webhooks; `startedDaysAgo` sends Stripe's start_date in an update. */
  async function subscribed(name: string, startedDaysAgo?: number): Promise<{ t: TestTenant; customer: string }> {
    const t = await newTenant(api, name);
    const { customerId, subscriptionId } = await subscribeTenant(api, t, planCode);
    if (startedDaysAgo !== undefined) {
      const sub = {
        ...subscriptionObject({ id: subscriptionId, customer: customerId, tenantId: t.tenantId, planId, planCode, status: "active" }),
        start_date: Math.floor((Date.now() - startedDaysAgo * DAY) / 1000),
      };
      const answer = await deliverWebhook(api, signedStripeEvent(api, "customer.subscription.updated", sub));
      assert.equal(answer.body.outcome, "applied");
    }
    return { t, customer: customerId };
  }

  before(async () => {
    api = await startApi();
    owner = postgres(ownerUrl(), { max: 2, onnotice: () => {} });
    proxy = await startStripeProxy(testConfig().STRIPE_API_BASE);
    temporal = await temporalClient();
    ({ id: planId, code: planCode } = await createTestPlan(api, { predictionAmount: 5, pointsAmountPer1000: 2 }));
    tenants.old = await subscribed("Unreachable Old", 60);
    tenants.early = await subscribed("Unreachable Early");
    tenants.gone = await subscribed("Unreachable Gone", 60);
    await ensureStripeMeters();
    await recordTestUsage(api, tenants.old.t.tenantId, [
      { meter: "predictions", quantity: 7, at: new Date(old + 10 * 60_000) },
      { meter: "predictions", quantity: 4, at: new Date(recent + 10 * 60_000) },
    ]);
    await recordTestUsage(api, tenants.early.t.tenantId, [
      { meter: "predictions", quantity: 3, at: new Date(recent + 5 * 60_000) },
      { meter: "points_ingested", quantity: 2500, at: new Date(recent + 5 * 60_000) },
    ]);
    await recordTestUsage(api, tenants.gone.t.tenantId, [{ meter: "predictions", quantity: 6, at: new Date(recent + 15 * 60_000) }]);
    // Stripe no longer knows the third tenant's customer.
    proxy.setFaults((method, path, _n, params) =>
      method === "POST" && path === METER_EVENTS && params.get("payload[stripe_customer_id]") === tenants.gone.customer
        ? "customerMissing"
        : "pass",
    );
    worker = spawnWorkerWith({ STRIPE_API_BASE: proxy.url, STRIPE_TIMEOUT_MS: "1500" });
    await runUsageSync(temporal.client);
  });

  after(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once("exit", resolve));
      worker.kill("SIGTERM");
      await exited;
    }
    await temporal?.close();
    await proxy?.close();
    await owner?.end();
    await api?.close();
  });

  it("sets aside an hour older than Stripe's 35 days without sending it; a recent hour is confirmed", async () => {
    const tenantId = tenants.old.t.tenantId;
    const tooOld = id(tenantId, "predictions", old);
    const fresh = id(tenantId, "predictions", recent);
    assert.deepEqual(await reportsOf(tenantId), [
      { identifier: tooOld, state: "unbillable", unbillable_reason: "too_old", quantity: 7 },
      { identifier: fresh, state: "confirmed", unbillable_reason: null, quantity: 4 },
    ]);
    assert.equal(eventsOf(tooOld).length, 0, "never sent");
    assert.equal(eventsOf(fresh).length, 1);
  });

  it("sets aside usage from before the subscription started without sending it", async () => {
    const tenantId = tenants.early.t.tenantId;
    const rows = await reportsOf(tenantId);
    assert.deepEqual(
      rows.map((r) => [r.state, r.unbillable_reason, r.quantity]),
      [
        ["unbillable", "before_subscription", 2500],
        ["unbillable", "before_subscription", 3],
      ],
    );
    for (const r of rows) assert.equal(eventsOf(r.identifier).length, 0, `${r.identifier} is never sent`);
  });

  it("stops retrying a report whose Stripe customer was deleted", async () => {
    const tenantId = tenants.gone.t.tenantId;
    const identifier = id(tenantId, "predictions", recent);
    assert.deepEqual(await reportsOf(tenantId), [{ identifier, state: "unbillable", unbillable_reason: "customer_deleted", quantity: 6 }]);
    const [stored] = await owner<{ last_error: string }[]>`select last_error from meter_reports where identifier = ${identifier}`;
    assert.match(stored?.last_error ?? "", /No such customer/);
    assert.equal(eventsOf(identifier).length, 1);
    // Nothing is left to do for the three tenants: another run sends none of their reports again.
    const listed = await tenantsToSync(api.services.db, { now: new Date(), limit: 100_000 });
    for (const { t } of Object.values(tenants)) assert.ok(!listed.includes(t.tenantId), `${t.tenantId} has nothing to sync`);
    await runUsageSync(temporal.client);
    assert.equal(eventsOf(identifier).length, 1, "not retried");
    assert.equal((await reportsOf(tenantId))[0]?.state, "unbillable");
  });

  it("shows these hours as UNBILLABLE in the tenant's reconciliation, never confirmed", async () => {
    const range = (at: number) => ({ from: new Date(at - HOUR).toISOString(), to: new Date(at + 2 * HOUR).toISOString() });
    const cases: [TestTenant, number, number, string][] = [
      [tenants.old.t, old, 7, "TOO_OLD"],
      [tenants.early.t, recent, 3, "BEFORE_SUBSCRIPTION"],
      [tenants.gone.t, recent, 6, "CUSTOMER_DELETED"],
    ];
    for (const [t, at, quantity, why] of cases) {
      const { usageReconciliation } = await gqlOk(api, g.UsageReconciliationUnbillableDocument, range(at), t.token);
      const hour = usageReconciliation.hours.find((h) => h.meter === "PREDICTIONS" && h.hour === new Date(at).toISOString());
      assert.deepEqual(
        hour && [hour.status, hour.confirmedQuantity, hour.inFlightQuantity, hour.unbillableQuantity, hour.unbillableReasons],
        ["UNBILLABLE", 0, 0, quantity, [why]],
      );
      const total = usageReconciliation.totals.find((x) => x.meter === "PREDICTIONS");
      assert.deepEqual(total && [total.unbillableQuantity, total.unbillableReasons], [quantity, [why]]);
      const { from, to } = range(at);
      const csv = await fetch(`${api.url}/billing/reconciliation.csv?from=${from}&to=${to}`, {
        headers: { authorization: `Bearer ${t.token}` },
      });
      assert.equal(csv.status, 200);
      const line = (await csv.text()).split("\r\n").find((l) => l.startsWith(`${new Date(at).toISOString()},PREDICTIONS,`));
      assert.match(line ?? "", new RegExp(`,0,0,UNBILLABLE,0,,${quantity},${why}$`), "the CSV carries the unbillable quantity and reason");
    }
  });

  it("lists them for finance operators with the amount they represent, logged with the reason; support is refused", async () => {
    const finance = await newOperator(api, "finance");
    const reason = `ticket ${Date.now()}: usage no invoice includes`;
    const { operatorUnbillableUsage } = await gqlOk(api, g.OperatorUnbillableUsageDocument, { reason }, finance.token);
    const ours = new Map(Object.values(tenants).map(({ t }) => [t.tenantId, t]));
    const rows = operatorUnbillableUsage
      .filter((r) => ours.has(r.tenantId))
      .map((r) => [r.tenantName, r.meter, r.reason, r.hours, r.quantity, r.planCode, r.currency, r.amount]);
    // Predictions at 5 each; points at 2 per started 1,000 (2,500 points: 3 × 2).
    assert.deepEqual(
      rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1]))),
      [
        ["Unreachable Early", "POINTS_INGESTED", "BEFORE_SUBSCRIPTION", 1, 2500, planCode, "eur", 6],
        ["Unreachable Early", "PREDICTIONS", "BEFORE_SUBSCRIPTION", 1, 3, planCode, "eur", 15],
        ["Unreachable Gone", "PREDICTIONS", "CUSTOMER_DELETED", 1, 6, planCode, "eur", 30],
        ["Unreachable Old", "PREDICTIONS", "TOO_OLD", 1, 7, planCode, "eur", 35],
      ],
    );
    const [logged] = await owner<{ n: number }[]>`
      select count(*)::int as n from operator_access_log
      where operator_id = ${finance.id} and action = 'operator.billing_unbillable' and reason = ${reason}`;
    assert.equal(logged?.n, 1);

    const csv = await fetch(`${api.url}/operator/billing/unbillable.csv?reason=${encodeURIComponent(reason)}`, {
      headers: { authorization: `Bearer ${finance.token}` },
    });
    assert.equal(csv.status, 200);
    const lines = (await csv.text()).split("\r\n");
    assert.equal(lines[0], "tenant_id,tenant_name,meter,reason,hours,first_hour,last_hour,quantity,plan_code,currency,amount");
    const oldHour = new Date(old).toISOString();
    assert.ok(lines.includes(`${tenants.old.t.tenantId},Unreachable Old,PREDICTIONS,TOO_OLD,1,${oldHour},${oldHour},7,${planCode},eur,35`));
    const noReason = await fetch(`${api.url}/operator/billing/unbillable.csv`, { headers: { authorization: `Bearer ${finance.token}` } });
    assert.equal(noReason.status, 400);

    const support = await newOperator(api, "support");
    assert.equal(await codeOf(api, g.OperatorUnbillableUsageDocument, { reason }, support.token), "FORBIDDEN");
    const refused = await fetch(`${api.url}/operator/billing/unbillable.csv?reason=${encodeURIComponent(reason)}`, {
      headers: { authorization: `Bearer ${support.token}` },
    });
    assert.equal(refused.status, 403);
  });
});
