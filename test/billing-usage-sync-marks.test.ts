import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import type Stripe from "stripe";
import type { Meter } from "../src/billing/schema.js";
import { createStripe } from "../src/billing/stripe.js";
import { utcHour } from "../src/billing/usage.js";
import { limiter, sendReports, syncTenantReports } from "../src/billing/usage-sync.js";
import { planReports, planTenantReports, reportIdentifier } from "../src/billing/usage-sync-plan.js";
import { withTenantSql } from "../src/db/client.js";
import { type Api, newTenant, ownerUrl, startApi, testConfig } from "./support/harness.js";
import { type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";
import { recordTestUsage, seedBillableTenant } from "./support/usage.js";

const HOUR = 3_600_000;

interface Marks {
  identifier: string;
  state: string;
  attempts: number;
  sent: boolean;
}

/**
 * What a meter report records of its sends: `attempts` counts the times it was marked sent before
 * a request left, `sent_at` the last; a report never sent has neither. The sync creates its new
 * reports already marked sent when they go out in its first chunk, so these stay true however a
 * report was marked.
 */
describe("usage sync: what a report records of its sends", () => {
  let api: Api;
  let owner: postgres.Sql;
  let proxy: StripeProxy;
  let stripe: Stripe;
  const thisHour = utcHour(new Date()).getTime();
  const h2 = new Date(thisHour - 2 * HOUR);
  const h3 = new Date(thisHour - 3 * HOUR);
  const h4 = new Date(thisHour - 4 * HOUR);

  const marks = async (tenantId: string): Promise<Marks[]> => [
    ...(await owner<Marks[]>`
      select identifier, state, attempts, sent_at is not null as sent from meter_reports
      where tenant_id = ${tenantId} order by meter, hour, seq`),
  ];
  const billable = async (name: string, usage: { meter: Meter; quantity: number; at: Date }[]) => {
    const { tenantId } = await newTenant(api, name);
    await seedBillableTenant(api, tenantId, usage);
    return tenantId;
  };
  const sync = (tenantId: string) =>
    syncTenantReports({ db: api.services.db, stripe }, { tenantId, now: new Date(), plan: { now: new Date() } }, limiter(8), {
      heartbeat: () => {},
    });
  const at = (hour: Date, minutes: number) => new Date(hour.getTime() + minutes * 60_000);

  before(async () => {
    api = await startApi();
    owner = postgres(ownerUrl(), { max: 1, onnotice: () => {} });
    proxy = await startStripeProxy(testConfig().STRIPE_API_BASE);
    stripe = createStripe(api.services.config.STRIPE_SECRET_KEY, proxy.url, 1_000);
  });

  after(async () => {
    await proxy?.close();
    await owner?.end();
    await api?.close();
  });

  it("plans a sync's new reports marked sent, committed with them, when they fit in its first chunk", async () => {
    const tenantId = await billable("Marked at planning", [
      { meter: "predictions", quantity: 4, at: at(h3, 10) },
      { meter: "points_ingested", quantity: 900, at: at(h4, 20) },
    ]);
    const plan = await withTenantSql(api.services.db.sql, { tenantId }, (sql) =>
      planTenantReports(sql, tenantId, { now: new Date(), sendNow: 2 }),
    );
    assert.equal(plan.created, 2);
    assert.deepEqual(
      (await marks(tenantId)).map((r) => [r.state, r.attempts, r.sent]),
      [
        ["sent", 1, true],
        ["sent", 1, true],
      ],
    );
  });

  it("reports each hour once when two plans of a tenant run at once", async () => {
    const tenantId = await billable("Planned twice at once", [
      { meter: "predictions", quantity: 4, at: at(h4, 10) },
      { meter: "predictions", quantity: 9, at: at(h3, 10) },
      { meter: "training_runs", quantity: 1, at: at(h3, 20) },
    ]);
    const plans = await Promise.all([1, 2].map(() => planReports(api.services, { tenantId, now: new Date() })));
    assert.deepEqual(plans.map((p) => p.created).sort(), [0, 3], "one plan reports the three hours, the other finds them reported");
    const [hours] = await owner<{ reports: number; reported: number; quantity: number }[]>`
      select (select count(*)::int from meter_reports where tenant_id = ${tenantId}) as reports,
        sum(reported)::float8 as reported, sum(quantity)::float8 as quantity from usage_hourly where tenant_id = ${tenantId}`;
    assert.deepEqual(hours, { reports: 3, reported: 14, quantity: 14 });
  });

  it("plans them pending when the tenant's open reports and the new ones exceed the first chunk", async () => {
    const tenantId = await billable("Too many to mark", [
      { meter: "predictions", quantity: 4, at: at(h4, 10) },
      { meter: "predictions", quantity: 6, at: at(h3, 10) },
    ]);
    await planReports(api.services, { tenantId, now: new Date(h3.getTime() + HOUR / 2) });
    await recordTestUsage(api, tenantId, [{ meter: "training_runs", quantity: 1, at: at(h2, 5) }]);
    // One open report (h4) and two new ones (h3, h2): three, one more than the chunk.
    await withTenantSql(api.services.db.sql, { tenantId }, (sql) => planTenantReports(sql, tenantId, { now: new Date(), sendNow: 2 }));
    assert.deepEqual(
      (await marks(tenantId)).map((r) => [r.state, r.attempts, r.sent]),
      [
        ["pending", 0, false],
        ["pending", 0, false],
        ["pending", 0, false],
      ],
    );
  });

  it("counts one attempt for a new report's send and the next one for a resent report", async () => {
    const tenantId = await billable("Resent once", [{ meter: "predictions", quantity: 3, at: at(h4, 15) }]);
    const first = reportIdentifier(tenantId, "predictions", h4.getTime() / 1000, 1);
    await planReports(api.services, { tenantId, now: new Date() });
    proxy.setFaults((method, path, _n, params) =>
      method === "POST" && path === "/v1/billing/meter_events" && params.get("identifier") === first ? "error500" : "pass",
    );
    try {
      await assert.rejects(sendReports({ db: api.services.db, stripe }, { tenantId }), /not confirmed by Stripe yet/);
    } finally {
      proxy.setFaults(() => "pass");
    }
    assert.deepEqual(await marks(tenantId), [{ identifier: first, state: "sent", attempts: 1, sent: true }]);

    await recordTestUsage(api, tenantId, [{ meter: "predictions", quantity: 8, at: at(h3, 15) }]);
    const result = await sync(tenantId);
    assert.equal(result.sent.confirmed, 2);
    assert.deepEqual(await marks(tenantId), [
      { identifier: first, state: "confirmed", attempts: 2, sent: true },
      { identifier: reportIdentifier(tenantId, "predictions", h3.getTime() / 1000, 1), state: "confirmed", attempts: 1, sent: true },
    ]);
  });

  it("records a new report it sets aside as unbillable as never sent", async () => {
    const tenantId = await billable("Before its subscription", [
      { meter: "predictions", quantity: 5, at: at(h4, 30) },
      { meter: "predictions", quantity: 2, at: at(h2, 30) },
    ]);
    await owner`update billing_accounts set subscription_started_at = ${h3} where tenant_id = ${tenantId}`;
    const result = await sync(tenantId);
    assert.deepEqual([result.sent.unbillable, result.sent.confirmed], [1, 1]);
    assert.deepEqual(
      (await marks(tenantId)).map((r) => [r.state, r.attempts, r.sent]),
      [
        ["unbillable", 0, false],
        ["confirmed", 1, true],
      ],
    );
  });

  it("sends nothing while a meter is unknown, and leaves the new reports pending, never sent", async () => {
    const tenantId = await billable("Unknown hourly meter", [{ meter: "training_runs", quantity: 2, at: at(h3, 45) }]);
    await owner`update billing_accounts set hourly_meters_from = ${h4} where tenant_id = ${tenantId}`;
    const [saved] = await owner<{ name: string | null; id: string | null }[]>`
      select hourly_event_name as name, hourly_stripe_meter_id as id from stripe_meters where meter = 'training_runs'`;
    await owner`update stripe_meters set hourly_event_name = null, hourly_stripe_meter_id = null where meter = 'training_runs'`;
    const sent = proxy.records.length;
    try {
      await assert.rejects(sync(tenantId), /No Stripe meter is known for training_runs \(hourly\)/);
    } finally {
      await owner`
        update stripe_meters set hourly_event_name = ${saved?.name ?? null}, hourly_stripe_meter_id = ${saved?.id ?? null}
        where meter = 'training_runs'`;
    }
    assert.equal(proxy.records.length, sent, "nothing reached Stripe");
    assert.deepEqual(
      (await marks(tenantId)).map((r) => [r.state, r.attempts, r.sent]),
      [["pending", 0, false]],
    );
  });
});
