import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { METERS, type Meter } from "../src/billing/schema.js";
import { utcHour } from "../src/billing/usage.js";
import { runUsageSync } from "../src/billing/usage-schedule.js";
import { tenantsToSync } from "../src/billing/usage-sync.js";
import { planReports, reportIdentifier } from "../src/billing/usage-sync-plan.js";
import { SYNC_USAGE } from "../src/billing/workflow-contracts.js";
import { startWorkflow } from "../src/temporal/starter.js";
import { TENANT_PAGE } from "../workflows/usage-sync.js";
import { type Api, newTenant, ownerUrl, startApi, testConfig } from "./support/harness.js";
import { type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";
import { recordTestUsage, seedBillableTenant, spawnWorkerWith, type UsageEntry } from "./support/usage.js";
import { sleep, temporalClient, waitFor } from "./support/worker.js";

const HOUR = 3_600_000;
const METER_EVENTS = "/v1/billing/meter_events";

interface Report {
  tenant_id: string;
  meter: Meter;
  hour: Date;
  seq: number;
  identifier: string;
  quantity: number;
  state: string;
  attempts: number;
}

/**
 * The usage sync against Postgres, Temporal and stripe-mock, with a recording proxy in front of
 * stripe-mock that fails requests and swallows answers: what reaches Stripe, counted the way
 * Stripe counts it (once per identifier), must equal the ledger exactly.
 */
describe("usage sync to Stripe Billing Meters", () => {
  let api: Api;
  let owner: postgres.Sql;
  let proxy: StripeProxy;
  let temporal: Awaited<ReturnType<typeof temporalClient>>;
  let worker: ChildProcess | undefined;
  const billable: { tenantId: string; customer: string }[] = [];
  let unbilled = "";
  const thisHour = utcHour(new Date()).getTime();

  const workerEnv = () => ({ STRIPE_API_BASE: proxy.url, STRIPE_TIMEOUT_MS: "1500" });
  const stopWorker = async (signal: NodeJS.Signals) => {
    const running = worker;
    worker = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill(signal);
    await exited;
  };

  /** Meter events of this suite's tenants that reached the proxy. */
  const ourEvents = () => {
    const customers = new Set(billable.map((b) => b.customer));
    return proxy.records.filter(
      (r) => r.method === "POST" && r.path === METER_EVENTS && customers.has(r.params.get("payload[stripe_customer_id]") ?? ""),
    );
  };
  const tenantIds = () => billable.map((b) => b.tenantId);
  const reports = () =>
    owner<Report[]>`
      select tenant_id, meter, hour, seq, identifier, quantity::int8::float8 as quantity, state, attempts from meter_reports
      where tenant_id in ${owner(tenantIds())} order by tenant_id, meter, hour, seq`;

  /** Every report confirmed, and per tenant × meter: distinct identifiers forwarded to Stripe sum to the ledger. */
  async function assertExact(): Promise<void> {
    const all = await reports();
    assert.ok(all.length > 0);
    assert.deepEqual(
      all.filter((r) => r.state !== "confirmed").map((r) => r.identifier),
      [],
      "every report is confirmed",
    );
    const byIdentifier = new Map(all.map((r) => [r.identifier, r]));
    const values = new Map<string, Set<string>>();
    for (const event of ourEvents().filter((r) => r.forwarded)) {
      const identifier = event.params.get("identifier") ?? "";
      assert.equal(event.idempotencyKey, identifier, "the idempotency key is the identifier");
      const seen = values.get(identifier) ?? new Set<string>();
      seen.add(event.params.get("payload[value]") ?? "");
      values.set(identifier, seen);
    }
    const billed = new Map<string, number>();
    for (const [identifier, seen] of values) {
      assert.equal(seen.size, 1, `${identifier} was sent with one value only (got ${[...seen].join(", ")})`);
      const report = byIdentifier.get(identifier);
      assert.ok(report, `${identifier} is a report`);
      assert.equal(Number([...seen][0]), report.quantity, `${identifier} carries its report's quantity`);
      const stamps = new Set(
        ourEvents()
          .filter((e) => e.params.get("identifier") === identifier)
          .map((e) => e.params.get("timestamp")),
      );
      assert.deepEqual(
        [...stamps],
        [String(new Date(report.hour).getTime() / 1000 + 3599)],
        `${identifier} carries its hour's last second`,
      );
      const key = `${report.tenant_id}:${report.meter}`;
      billed.set(key, (billed.get(key) ?? 0) + report.quantity);
    }
    assert.equal(values.size, all.length, "every report reached Stripe");
    const ledger = await owner<{ tenant_id: string; meter: Meter; quantity: number }[]>`
      select tenant_id, meter, sum(quantity)::float8 as quantity from usage_ledger
      where tenant_id in ${owner(tenantIds())} group by tenant_id, meter order by tenant_id, meter`;
    assert.equal(ledger.length, billable.length * METERS.length);
    for (const row of ledger) {
      assert.equal(billed.get(`${row.tenant_id}:${row.meter}`), row.quantity, `${row.tenant_id} ${row.meter}: Stripe counts the ledger`);
    }
    const hourly = await owner<{ n: number }[]>`
      select count(*)::int as n from usage_hourly where tenant_id in ${owner(tenantIds())} and reported <> quantity`;
    assert.equal(hourly[0]?.n, 0, "every hour is reported in full");
  }

  before(async () => {
    api = await startApi();
    owner = postgres(ownerUrl(), { max: 2, onnotice: () => {} });
    proxy = await startStripeProxy(testConfig().STRIPE_API_BASE);
    temporal = await temporalClient();
    // Four billed tenants: six closed hours, each meter twice an hour, different amounts.
    for (let t = 0; t < 4; t++) {
      const tenant = await newTenant(api, `Metered ${t}`);
      const entries: UsageEntry[] = [];
      for (let h = 2; h <= 7; h++) {
        METERS.forEach((meter, m) => {
          for (let k = 0; k < 2; k++) {
            entries.push({
              meter,
              quantity: 1 + ((t * 131 + h * 17 + m * 7 + k * 3) % 97) * (m === 0 ? 1000 : 1),
              at: new Date(thisHour - h * HOUR + (k * 20 + 5) * 60_000),
            });
          }
        });
      }
      billable.push({ tenantId: tenant.tenantId, customer: await seedBillableTenant(api, tenant.tenantId, entries) });
    }
    const free = await newTenant(api, "Not Billed Yet");
    unbilled = free.tenantId;
    await recordTestUsage(api, unbilled, [{ meter: "predictions", quantity: 9, at: new Date(thisHour - 3 * HOUR) }]);
  });

  after(async () => {
    await stopWorker("SIGTERM");
    await temporal?.close();
    await proxy?.close();
    await owner?.end();
    await api?.close();
  });

  it("derives identifiers from tenant, meter, hour and sequence only, within Stripe's 100 characters", () => {
    const hour = Date.UTC(2026, 2, 4, 7) / 1000;
    assert.equal(reportIdentifier("ten_abc", "predictions", hour, 2), "pdm_ten_abc_predictions_2026030407_2");
    assert.equal(reportIdentifier("ten_abc", "predictions", hour, 2), reportIdentifier("ten_abc", "predictions", hour, 2));
    const long = reportIdentifier(`ten_${"x".repeat(120)}`, "points_ingested", hour, 12);
    assert.ok(long.length <= 100, long);
    assert.equal(long, reportIdentifier(`ten_${"x".repeat(120)}`, "points_ingested", hour, 12));
    assert.notEqual(long, reportIdentifier(`ten_${"x".repeat(119)}y`, "points_ingested", hour, 12));
    assert.match(long, /_points_ingested_2026030407_12$/);
  });

  it("plans reports under the identifiers reportIdentifier gives, hashed for a tenant id too long or not plain", async () => {
    const stamp = Date.now();
    const ids = [`ten_${"z".repeat(110)}${stamp}`, `ten-dash-${stamp}`, `ten_plain_${stamp}`];
    const hour = new Date(thisHour - 3 * HOUR);
    try {
      for (const [n, id] of ids.entries()) {
        await owner`insert into tenants (id, name) values (${id}, ${`Identifier ${id.length}`})`;
        await owner`insert into billing_accounts (tenant_id, stripe_customer_id) values (${id}, ${`cus_ident_${stamp}_${n}`})`;
        await owner`insert into usage_hourly (tenant_id, meter, hour, quantity, reported) values (${id}, 'predictions', ${hour}, 5, 2)`;
        const planned = await planReports(api.services, { tenantId: id, now: new Date() });
        assert.deepEqual(planned, { created: 1, quantityByMeter: { predictions: 3 } }, id);
        const rows = await owner<{ identifier: string; quantity: number; seq: number }[]>`
          select identifier, quantity::float8 as quantity, seq from meter_reports where tenant_id = ${id}`;
        assert.deepEqual(
          [...rows],
          [{ identifier: reportIdentifier(id, "predictions", hour.getTime() / 1000, 1), quantity: 3, seq: 1 }],
          id,
        );
        const [moved] = await owner<{ reported: number }[]>`select reported::float8 as reported from usage_hourly where tenant_id = ${id}`;
        assert.equal(moved?.reported, 5, "the hour is reported in full");
      }
      const [tooLong, dashed, plain] = ids.map((id) => reportIdentifier(id, "predictions", hour.getTime() / 1000, 1));
      assert.match(tooLong ?? "", /^pdm_h[0-9a-f]{32}_predictions_/);
      assert.match(dashed ?? "", /^pdm_h[0-9a-f]{32}_predictions_/);
      await assert.rejects(
        owner`insert into meter_reports (tenant_id, meter, hour, seq, identifier, quantity, stripe_customer_id)
               values (${ids[2] ?? ""}, 'predictions', ${hour}, 2, ${"p".repeat(101)}, 1, 'cus_x')`,
        /meter_reports_identifier_length/,
        "an identifier longer than Stripe's 100 characters is refused",
      );
      assert.equal(plain, `pdm_${ids[2]}_predictions_${hour.toISOString().slice(0, 13).replace(/[-T]/g, "")}_1`);
    } finally {
      await owner`delete from tenants where id in ${owner(ids)}`;
    }
  });

  it("bills exactly the ledger through Stripe failures, lost answers and a worker killed mid-sync", async () => {
    // Every 4th request fails with a 500; every 7th reaches Stripe but its answer never comes back.
    proxy.setFaults((method, path, n) => {
      if (method !== "POST" || path !== METER_EVENTS) return "pass";
      if (n % 7 === 0) return "timeout";
      return n % 4 === 0 ? "error500" : "pass";
    });
    worker = spawnWorkerWith(workerEnv());
    const run = runUsageSync(temporal.client);
    run.catch(() => undefined);
    // Killed once a tenant is done: the retried page still counts it.
    await waitFor("a tenant's reports all to be confirmed", 120_000, async () => {
      const byTenant = new Map<string, string[]>();
      for (const r of await reports()) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.state]);
      const done = [...byTenant.values()].some((states) => states.length === 6 * METERS.length && states.every((s) => s === "confirmed"));
      return done ? true : undefined;
    });
    await stopWorker("SIGKILL");
    const atKill = await reports();
    const expected = billable.length * 6 * METERS.length;
    assert.ok(atKill.filter((r) => r.state === "confirmed").length < expected, "the worker was killed before every report was confirmed");
    await sleep(500);
    worker = spawnWorkerWith(workerEnv());
    const result = await run;
    assert.ok(result.tenants >= billable.length);

    await assertExact();
    const all = await reports();
    assert.equal(all.length, expected, "one report per tenant, meter and hour");
    assert.ok(
      all.every((r) => r.seq === 1),
      "first reports only",
    );
    const sends = new Map<string, number>();
    for (const e of ourEvents()) sends.set(e.params.get("identifier") ?? "", (sends.get(e.params.get("identifier") ?? "") ?? 0) + 1);
    assert.ok(
      [...sends.values()].some((n) => n > 1),
      "some events were sent more than once (the faults hit)",
    );
    assert.ok(
      ourEvents().some((e) => e.fault === "timeout"),
      "some answers were lost",
    );
  });

  it("sends late usage of a reported hour as a new event; the first event never changes", async () => {
    const tenantId = billable[0]?.tenantId ?? "";
    const hour = new Date(thisHour - 3 * HOUR);
    const before = (await reports()).filter(
      (r) => r.tenant_id === tenantId && r.meter === "predictions" && r.hour.getTime() === hour.getTime(),
    );
    assert.equal(before.length, 1);
    await recordTestUsage(api, tenantId, [{ meter: "predictions", quantity: 5, at: new Date(hour.getTime() + 50 * 60_000) }]);

    await runUsageSync(temporal.client);
    const now = (await reports()).filter(
      (r) => r.tenant_id === tenantId && r.meter === "predictions" && r.hour.getTime() === hour.getTime(),
    );
    assert.equal(now.length, 2);
    assert.deepEqual(
      { seq: now[0]?.seq, identifier: now[0]?.identifier, quantity: now[0]?.quantity },
      { seq: 1, identifier: before[0]?.identifier, quantity: before[0]?.quantity },
    );
    assert.equal(now[1]?.seq, 2);
    assert.equal(now[1]?.quantity, 5);
    assert.equal(now[1]?.identifier, reportIdentifier(tenantId, "predictions", hour.getTime() / 1000, 2));
    const first = ourEvents().filter((e) => e.params.get("identifier") === before[0]?.identifier);
    assert.ok(first.every((e) => Number(e.params.get("payload[value]")) === before[0]?.quantity));
    await assertExact();
  });

  it("sends nothing when nothing new was used", async () => {
    const sent = ourEvents().length;
    const attempts = (await reports()).map((r) => r.attempts);
    await runUsageSync(temporal.client);
    assert.equal(ourEvents().length, sent);
    assert.deepEqual(
      (await reports()).map((r) => r.attempts),
      attempts,
    );
    await assertExact();
  });

  it("lists and syncs each page of tenants in one activity, and knows the last page without listing again", async () => {
    proxy.setFaults(() => "pass");
    const stamp = Date.now();
    const ids = Array.from({ length: TENANT_PAGE + 1 }, (_, n) => `ten_paged_${stamp}_${String(n).padStart(3, "0")}`);
    try {
      await owner`insert into tenants (id, name) select id, 'Paged ' || id from unnest(${ids}::text[]) as id`;
      await owner`insert into billing_accounts (tenant_id, stripe_customer_id) select id, 'cus_' || id from unnest(${ids}::text[]) as id`;
      await owner`
        insert into usage_hourly (tenant_id, meter, hour, quantity)
        select id, 'predictions', ${new Date(thisHour - 2 * HOUR)}, 2 from unnest(${ids}::text[]) as id`;
      const handle = await startWorkflow(temporal.client, SYNC_USAGE, { workflowId: `usage-sync-paged-${stamp}`, args: [{}] });
      const result = await handle.result();
      assert.ok(result.tenants >= ids.length, `${result.tenants} tenants`);
      const [reports] = await owner<{ confirmed: number }[]>`
        select count(*) filter (where state = 'confirmed')::int as confirmed from meter_reports where tenant_id = any(${ids}::text[])`;
      assert.equal(reports?.confirmed, ids.length, "every paged tenant's report is confirmed");
      const activities = ((await handle.fetchHistory()).events ?? []).flatMap(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? [],
      );
      assert.deepEqual(activities, ["syncUsagePage", "syncUsagePage"], "two pages, two activities: none lists on its own");
    } finally {
      await owner`delete from tenants where id = any(${ids}::text[])`;
    }
  });

  it("does not send the usage of a tenant without a Stripe customer; it stays unreported", async () => {
    const [rows] = await owner<{ reports: number; quantity: number; reported: number }[]>`
      select (select count(*)::int from meter_reports where tenant_id = ${unbilled}) as reports,
        (select sum(quantity)::float8 from usage_hourly where tenant_id = ${unbilled}) as quantity,
        (select sum(reported)::float8 from usage_hourly where tenant_id = ${unbilled}) as reported`;
    assert.deepEqual(rows, { reports: 0, quantity: 9, reported: 0 });
    assert.ok(!proxy.records.some((r) => (r.params.get("identifier") ?? "").includes(unbilled)));
    assert.ok(!(await tenantsToSync(api.services.db, { now: new Date(), limit: 100_000 })).includes(unbilled));
  });
});
