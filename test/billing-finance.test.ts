import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { csvField, toCsv } from "../src/billing/csv.js";
import type { Meter } from "../src/billing/schema.js";
import { recordUsage, utcHour } from "../src/billing/usage.js";
import { workflowCall } from "../src/core/calls.js";
import type { Db } from "../src/db/client.js";
import * as g from "./generated/graphql.js";
import { type Api, addMember, codeOf, gql, gqlOk, newOperator, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { insertTestPlan, ownerDb, setSubscription } from "./support/plans.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Midnight (UTC) three days ago: every recorded hour below is closed and in the past. */
const D = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
const at = (ms: number) => new Date(D + ms);
const iso = (ms: number) => new Date(D + ms).toISOString();
const MIN = 60_000;

interface Entry {
  readonly meter: Meter;
  readonly quantity: number;
  readonly at: Date;
}

/** Tenant A's usage: the figures every view below must reproduce exactly. */
const A_USAGE: Entry[] = [
  { meter: "points_ingested", quantity: 1000, at: at(10 * MIN) },
  { meter: "points_ingested", quantity: 500, at: at(50 * MIN) },
  { meter: "predictions", quantity: 7, at: at(20 * MIN) },
  { meter: "points_ingested", quantity: 1, at: at(HOUR + 5 * MIN) },
  { meter: "training_runs", quantity: 1, at: at(HOUR + 30 * MIN) },
  { meter: "points_ingested", quantity: 2000, at: at(DAY + 2 * HOUR) },
  { meter: "predictions", quantity: 5, at: at(DAY + 3 * HOUR + 30 * MIN) },
];
const B_USAGE: Entry[] = [
  { meter: "points_ingested", quantity: 42, at: at(2 * HOUR + 10 * MIN) },
  { meter: "predictions", quantity: 9, at: at(2 * HOUR + 20 * MIN) },
];

async function record(api: Api, tenantId: string, entries: readonly Entry[]) {
  let n = 0;
  for (const e of entries) {
    const usage = { meter: e.meter, quantity: e.quantity, idempotencyKey: `finance-test:${n++}`, source: "test", at: e.at };
    await workflowCall(api.services, { tenantId, workflowId: "finance-test" }, (ctx) => recordUsage(ctx, usage));
  }
}

/** The expected rows of a usage view: sums by meter and period start, in the API's order. */
function expected(entries: readonly Entry[], period: (d: Date) => string) {
  const sums = new Map<string, number>();
  for (const e of entries) {
    const key = `${period(e.at)}|${e.meter.toUpperCase()}`;
    sums.set(key, (sums.get(key) ?? 0) + e.quantity);
  }
  return [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, quantity]) => {
      const [periodStart, meter] = key.split("|");
      return { periodStart, meter, quantity };
    });
}
const hourOf = (d: Date) => utcHour(d).toISOString();
const dayOf = (d: Date) => `${d.toISOString().slice(0, 10)}T00:00:00.000Z`;
const monthOf = (d: Date) => `${d.toISOString().slice(0, 7)}-01T00:00:00.000Z`;

describe("billing: finance views and their CSV exports", () => {
  let api: Api;
  let owner: Db;
  let a: TestTenant;
  let b: TestTenant;
  let aFinance: string;
  let bFinance: string;
  let aViewer: string;
  const range = { from: iso(0), to: iso(2 * DAY) };

  before(async () => {
    api = await startApi();
    owner = ownerDb();
    a = await newTenant(api, "Finance A");
    b = await newTenant(api, "Finance B");
    aFinance = (await addMember(api, a, "FINANCE")).token;
    bFinance = (await addMember(api, b, "FINANCE")).token;
    aViewer = (await addMember(api, a, "VIEWER")).token;
    const plan = await insertTestPlan(owner, { baseAmount: 4900, pointsAmountPer1000: 25, predictionAmount: 3, trainingRunAmount: 150 });
    // The period starts inside the first recorded hour: that hour is still billed in it, as Stripe
    // bills the hour's meter events (they carry the hour's last second).
    await setSubscription(owner, a.tenantId, { planId: plan.id, status: "active", periodStart: at(30 * MIN), periodEnd: at(29 * DAY) });
    await setSubscription(owner, b.tenantId, { planId: plan.id, status: "active" });
    await record(api, a.tenantId, A_USAGE);
    await record(api, b.tenantId, B_USAGE);
    // Before A's period: in no preview, and outside the ranges asked for below.
    await record(api, a.tenantId, [{ meter: "points_ingested", quantity: 999, at: at(-2 * DAY) }]);
  });
  after(async () => {
    await owner?.close();
    await api?.close();
  });

  it("shows usage per hour, day and month exactly as it was recorded", async () => {
    for (const [granularity, period] of [
      ["HOUR", hourOf],
      ["DAY", dayOf],
      ["MONTH", monthOf],
    ] as const) {
      const { usage } = await gqlOk(api, g.UsageDocument, { ...range, granularity }, aFinance);
      assert.deepEqual(
        usage.map((u) => ({ periodStart: u.periodStart, meter: u.meter, quantity: u.quantity })),
        expected(A_USAGE, period),
        granularity,
      );
    }
    const { usage } = await gqlOk(api, g.UsageDocument, { ...range, granularity: "DAY", meter: "PREDICTIONS" }, aFinance);
    assert.deepEqual(
      usage.map((u) => [u.periodStart, u.quantity]),
      [
        [dayOf(at(0)), 7],
        [dayOf(at(DAY)), 5],
      ],
    );
  });

  it("previews the running period's invoice from the plan's prices, billing points per started 1,000", async () => {
    const { invoicePreview: p } = await gqlOk(api, g.InvoicePreviewDocument, {}, aFinance);
    assert.equal(p.currency, "eur");
    assert.equal(p.periodStart, iso(30 * MIN));
    assert.equal(p.periodEnd, iso(29 * DAY));
    assert.deepEqual(
      p.lines.map((l) => [l.component, l.quantity, l.unitAmount, l.amount]),
      [
        ["BASE", 1, 4900, 4900],
        ["POINTS_INGESTED", 3501, 25, 4 * 25],
        ["PREDICTIONS", 12, 3, 36],
        ["TRAINING_RUNS", 1, 150, 150],
      ],
    );
    assert.equal(p.total, 4900 + 100 + 36 + 150);
    assert.match(p.lines[1]?.description ?? "", /3,501 points ingested, billed per started 1,000 \(4 thousands\)/);

    // Without a period from Stripe, the calendar month; without a subscription, nothing to preview.
    const { invoicePreview: bp } = await gqlOk(api, g.InvoicePreviewDocument, {}, bFinance);
    const now = new Date();
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    assert.equal(bp.periodStart, new Date(monthStart).toISOString());
    const inMonth = D + 2 * HOUR >= monthStart;
    assert.deepEqual(
      bp.lines.map((l) => l.quantity),
      inMonth ? [1, 42, 9, 0] : [1, 0, 0, 0],
    );
    const c = await newTenant(api, "Unsubscribed");
    const none = await gql(api, g.InvoicePreviewDocument, {}, c.token);
    assert.equal(none.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(none.errors?.[0]?.message ?? "", /no subscription/);
  });

  it("reconciles hour by hour: confirmed, in flight, unreported and mismatched usage", async () => {
    const report = async (meter: Meter, hour: number, seq: number, quantity: number, state: string) => {
      const h = iso(hour);
      await owner.sql`
        insert into meter_reports (tenant_id, meter, hour, seq, identifier, quantity, stripe_customer_id, state)
        values (${a.tenantId}, ${meter}, ${h}, ${seq}, ${`test_${a.tenantId}_${meter}_${h}_${seq}`}, ${quantity}, ${`cus_test_${a.tenantId}`}, ${state})`;
      await owner.sql`update usage_hourly set reported = reported + ${quantity} where tenant_id = ${a.tenantId} and meter = ${meter} and hour = ${h}`;
    };
    await report("points_ingested", 0, 1, 1500, "confirmed");
    await report("predictions", 0, 1, 4, "sent");
    await report("training_runs", HOUR, 1, 1, "confirmed");
    await report("points_ingested", DAY + 2 * HOUR, 1, 2000, "pending");
    await report("predictions", DAY + 3 * HOUR, 1, 3, "confirmed");
    // An hourly total the ledger does not account for: a defect the view must show.
    await owner.sql`insert into usage_hourly (tenant_id, meter, hour, quantity) values (${a.tenantId}, 'points_ingested', ${iso(DAY + 6 * HOUR)}, 10)`;

    const { usageReconciliation: r } = await gqlOk(api, g.UsageReconciliationDocument, range, aFinance);
    assert.deepEqual(
      r.hours.map((h) => [
        h.hour,
        h.meter,
        h.ledgerQuantity,
        h.hourlyQuantity,
        h.reportedQuantity,
        h.confirmedQuantity,
        h.inFlightQuantity,
        h.status,
      ]),
      [
        [iso(0), "POINTS_INGESTED", 1500, 1500, 1500, 1500, 0, "MATCH"],
        [iso(0), "PREDICTIONS", 7, 7, 4, 0, 4, "IN_FLIGHT"],
        [iso(HOUR), "POINTS_INGESTED", 1, 1, 0, 0, 0, "UNREPORTED"],
        [iso(HOUR), "TRAINING_RUNS", 1, 1, 1, 1, 0, "MATCH"],
        [iso(DAY + 2 * HOUR), "POINTS_INGESTED", 2000, 2000, 2000, 0, 2000, "IN_FLIGHT"],
        [iso(DAY + 3 * HOUR), "PREDICTIONS", 5, 5, 3, 3, 0, "UNREPORTED"],
        [iso(DAY + 6 * HOUR), "POINTS_INGESTED", 0, 10, 0, 0, 0, "MISMATCH"],
      ],
    );
    assert.deepEqual(
      r.totals.map((t) => [t.meter, t.ledgerQuantity, t.hourlyQuantity, t.confirmedQuantity, t.inFlightQuantity, t.status]),
      [
        ["POINTS_INGESTED", 3501, 3511, 1500, 2000, "MISMATCH"],
        ["PREDICTIONS", 12, 12, 3, 4, "IN_FLIGHT"],
        ["TRAINING_RUNS", 1, 1, 1, 0, "MATCH"],
      ],
    );
    await owner.sql`delete from usage_hourly where tenant_id = ${a.tenantId} and hour = ${iso(DAY + 6 * HOUR)}`;
  });

  it("exports each view as RFC 4180 CSV, authenticated like GraphQL", async () => {
    const get = (path: string, token?: string) =>
      fetch(`${api.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const usage = await get(`/billing/usage.csv?from=${range.from}&to=${range.to}&granularity=DAY`, aFinance);
    assert.equal(usage.status, 200);
    assert.equal(usage.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(
      usage.headers.get("content-disposition"),
      `attachment; filename="usage_${range.from.slice(0, 10)}_${range.to.slice(0, 10)}_day.csv"`,
    );
    const rows = expected(A_USAGE, dayOf).map((e) => `${e.periodStart},${e.meter},${e.quantity}\r\n`);
    assert.equal(await usage.text(), `period_start,meter,quantity\r\n${rows.join("")}`);

    const preview = await (await get("/billing/invoice-preview.csv", aFinance)).text();
    const [header, , points] = preview.split("\r\n");
    assert.equal(header, "period_start,period_end,currency,component,quantity,unit_amount,amount,description");
    assert.equal(
      points,
      `${iso(30 * MIN)},${iso(29 * DAY)},eur,POINTS_INGESTED,3501,25,100,"3,501 points ingested, billed per started 1,000 (4 thousands)"`,
    );
    assert.match(preview, /,eur,TOTAL,,,5186,/);

    const reconciliation = await get(`/billing/reconciliation.csv?from=${range.from}&to=${range.to}`, aFinance);
    assert.equal(reconciliation.status, 200);
    const lines = (await reconciliation.text()).trimEnd().split("\r\n");
    assert.equal(
      lines[0],
      "hour,meter,ledger_quantity,hourly_quantity,reported_quantity,confirmed_quantity,in_flight_quantity,status,rejected_quantity,rejected_reason,unbillable_quantity,unbillable_reasons",
    );
    assert.equal(lines[2], `${iso(0)},PREDICTIONS,7,7,4,0,4,IN_FLIGHT,0,,0,`);
    assert.equal(lines.length, 7, "a header and six hours");

    for (const [path, message] of [
      [`/billing/usage.csv?from=${range.to}&to=${range.from}&granularity=DAY`, /"from" must be before "to"/],
      [`/billing/usage.csv?from=${range.from}&to=${range.to}&granularity=WEEK`, /"granularity" must be one of HOUR, DAY, MONTH/],
      [`/billing/usage.csv?to=${range.to}&granularity=DAY`, /"from" is required/],
      [`/billing/usage.csv?from=${range.from}&to=${iso(40 * DAY)}&granularity=HOUR`, /at most 31 days/],
      [`/billing/reconciliation.csv?from=${iso(30 * MIN)}&to=${range.to}`, /whole UTC hour/],
    ] as const) {
      const res = await get(path, aFinance);
      assert.equal(res.status, 400, path);
      const body = (await res.json()) as { code: string; message: string };
      assert.equal(body.code, "VALIDATION");
      assert.match(body.message, message);
    }
    assert.equal((await get("/billing/invoice-preview.csv")).status, 401);
    assert.equal((await get("/billing/invoice-preview.csv", aViewer)).status, 403);
  });

  it("quotes CSV fields per RFC 4180 and defuses spreadsheet formulas", () => {
    assert.equal(csvField('say "hi", then\r\nleave'), '"say ""hi"", then\r\nleave"');
    assert.equal(csvField("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    assert.equal(csvField(-5), "-5");
    assert.equal(toCsv(["a", "b"], [[1, null]]), "a,b\r\n1,\r\n");
  });

  it("shows billing to the finance role but not telemetry; a viewer sees no billing; each tenant only its own", async () => {
    assert.equal(await codeOf(api, g.FleetOverviewDocument, { first: 10 }, aFinance), "FORBIDDEN");
    assert.equal(await codeOf(api, g.UsageDocument, { ...range, granularity: "DAY" }, aViewer), "FORBIDDEN");
    assert.equal(await codeOf(api, g.InvoicePreviewDocument, {}, aViewer), "FORBIDDEN");
    assert.equal(await codeOf(api, g.UsageReconciliationDocument, range, aViewer), "FORBIDDEN");
    const { usage } = await gqlOk(api, g.UsageDocument, { ...range, granularity: "MONTH" }, bFinance);
    assert.deepEqual(
      usage.map((u) => [u.meter, u.quantity]),
      [
        ["POINTS_INGESTED", 42],
        ["PREDICTIONS", 9],
      ],
      "B's finance sees B's usage only",
    );
    const { usageReconciliation } = await gqlOk(api, g.UsageReconciliationDocument, range, bFinance);
    assert.deepEqual(
      usageReconciliation.totals.map((t) => [t.meter, t.ledgerQuantity, t.status]),
      [
        ["POINTS_INGESTED", 42, "UNREPORTED"],
        ["PREDICTIONS", 9, "UNREPORTED"],
      ],
    );
  });

  it("gives finance operators every tenant's figures, each read logged with its reason; support is refused", async () => {
    const finance = await newOperator(api, "finance");
    const support = await newOperator(api, "support");
    const reason = `ticket ${Date.now()}: month-end close`;
    const { operatorUsage } = await gqlOk(api, g.OperatorUsageDocument, { reason, ...range, granularity: "DAY" }, finance.token);
    const mine = operatorUsage.filter((u) => u.tenantId === a.tenantId || u.tenantId === b.tenantId);
    const rowsOf = (t: TestTenant, name: string, entries: readonly Entry[]) =>
      expected(entries, dayOf).map((e) => ({ tenantId: t.tenantId, tenantName: name, ...e }));
    const key = (r: { periodStart?: string; tenantId: string; meter?: string }) => `${r.periodStart}|${r.tenantId}|${r.meter}`;
    const want = [...rowsOf(a, "Finance A", A_USAGE), ...rowsOf(b, "Finance B", B_USAGE)].sort((x, y) => (key(x) < key(y) ? -1 : 1));
    assert.deepEqual(
      mine.map((u) => ({
        tenantId: u.tenantId,
        tenantName: u.tenantName,
        periodStart: u.periodStart,
        meter: u.meter,
        quantity: u.quantity,
      })),
      want,
    );
    const [logged] = await owner.sql<{ n: number }[]>`
      select count(*)::int as n from operator_access_log where operator_id = ${finance.id} and action = 'operator.billing_usage' and reason = ${reason}`;
    assert.equal(logged?.n, 1);

    const { operatorReconciliation } = await gqlOk(api, g.OperatorReconciliationDocument, { reason, ...range }, finance.token);
    const aTotals = operatorReconciliation.totals
      .filter((t) => t.tenantId === a.tenantId)
      .map((t) => [t.meter, t.ledgerQuantity, t.status]);
    assert.deepEqual(aTotals, [
      ["POINTS_INGESTED", 3501, "IN_FLIGHT"],
      ["PREDICTIONS", 12, "IN_FLIGHT"],
      ["TRAINING_RUNS", 1, "MATCH"],
    ]);
    assert.ok(operatorReconciliation.hours.some((h) => h.tenantId === b.tenantId && h.meter === "PREDICTIONS" && h.ledgerQuantity === 9));

    const { operatorInvoicePreview } = await gqlOk(api, g.OperatorInvoicePreviewDocument, { tenantId: a.tenantId, reason }, finance.token);
    assert.equal(operatorInvoicePreview.total, 5186);
    const [audited] = await owner.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where tenant_id = ${a.tenantId} and action = 'operator.billing_invoice_preview' and actor_id = ${finance.id}`;
    assert.equal(audited?.n, 1, "the tenant sees in its own audit log who looked at its invoice");

    const csv = await fetch(
      `${api.url}/operator/billing/usage.csv?reason=${encodeURIComponent(reason)}&from=${range.from}&to=${range.to}`,
      {
        headers: { authorization: `Bearer ${finance.token}` },
      },
    );
    assert.equal(csv.status, 200);
    const text = await csv.text();
    assert.ok(text.startsWith("tenant_id,tenant_name,period_start,meter,quantity\r\n"));
    assert.ok(text.includes(`${b.tenantId},Finance B,${dayOf(at(0))},PREDICTIONS,9\r\n`));
    const rcsv = await fetch(
      `${api.url}/operator/billing/reconciliation.csv?reason=${encodeURIComponent(reason)}&from=${range.from}&to=${range.to}`,
      {
        headers: { authorization: `Bearer ${finance.token}` },
      },
    );
    assert.ok((await rcsv.text()).includes(`${a.tenantId},Finance A,${iso(0)},PREDICTIONS,7,7,4,0,4,IN_FLIGHT,0,,0,\r\n`));
    const noReason = await fetch(`${api.url}/operator/billing/usage.csv?from=${range.from}&to=${range.to}`, {
      headers: { authorization: `Bearer ${finance.token}` },
    });
    assert.equal(noReason.status, 400);

    assert.equal(await codeOf(api, g.OperatorUsageDocument, { reason, ...range, granularity: "DAY" }, support.token), "FORBIDDEN");
    assert.equal(await codeOf(api, g.OperatorReconciliationDocument, { reason, ...range }, support.token), "FORBIDDEN");
    assert.equal(await codeOf(api, g.OperatorInvoicePreviewDocument, { tenantId: a.tenantId, reason }, support.token), "FORBIDDEN");
    const supportCsv = await fetch(
      `${api.url}/operator/billing/usage.csv?reason=${encodeURIComponent(reason)}&from=${range.from}&to=${range.to}`,
      {
        headers: { authorization: `Bearer ${support.token}` },
      },
    );
    assert.equal(supportCsv.status, 403);
    assert.equal(
      await codeOf(api, g.OperatorUsageDocument, { reason, ...range, granularity: "DAY" }, aFinance),
      "FORBIDDEN",
      "a tenant's finance member is no operator",
    );
  });
});
