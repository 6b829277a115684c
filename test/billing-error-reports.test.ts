import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Meter } from "../src/billing/schema.js";
import { recordUsage, utcHour } from "../src/billing/usage.js";
import { sendReports } from "../src/billing/usage-sync.js";
import { reportIdentifier } from "../src/billing/usage-sync-plan.js";
import { workflowCall } from "../src/core/calls.js";
import type { Db } from "../src/db/client.js";
import * as g from "./generated/graphql.js";
import { deliverWebhook, financeOperatorToken } from "./support/billing.js";
import { type Api, addMember, gqlOk, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { ownerDb } from "./support/plans.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An hour two days ago, closed and in the past; the reconciliation asks for the day from it. */
const H = Math.floor(Date.now() / HOUR) * HOUR - 2 * DAY;
const iso = (ms: number) => new Date(H + ms).toISOString();
const range = { from: iso(0), to: iso(DAY) };

/** One error-report sample: the identifier the meter event was sent with, and Stripe's words. */
interface Sample {
  readonly identifier: string;
  readonly code: string;
  readonly message: string;
}

/**
 * v1.billing.meter.error_report_triggered as an event destination delivers it: a "v2.core.event"
 * naming the meter as its related object, with the report's data, signed like every delivery.
 */
function signedErrorReport(api: Api, samples: readonly Sample[], options: { id?: string; secret?: string } = {}) {
  const id = options.id ?? `evt_test_${randomBytes(8).toString("hex")}`;
  const codes = [...new Set(samples.map((s) => s.code))];
  const payload = JSON.stringify({
    id,
    object: "v2.core.event",
    type: "v1.billing.meter.error_report_triggered",
    created: new Date().toISOString(),
    livemode: false,
    related_object: { id: "mtr_test_points", type: "billing.meter", url: "/v1/billing/meters/mtr_test_points" },
    data: {
      developer_message_summary: `There were ${samples.length} invalid meter events.`,
      validation_start: iso(0),
      validation_end: iso(HOUR),
      reason: {
        error_count: samples.length,
        error_types: codes.map((code) => {
          const of = samples.filter((s) => s.code === code);
          return {
            code,
            error_count: of.length,
            sample_errors: of.map((s) => ({ error_message: s.message, request: { identifier: s.identifier } })),
          };
        }),
      },
    },
  });
  const header = api.services.stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? api.services.config.STRIPE_WEBHOOK_SECRET,
  });
  return { id, payload, header };
}

describe("billing: Stripe's error reports reject the meter events they name", () => {
  let api: Api;
  let owner: Db;
  let t: TestTenant;
  let finance: string;
  let n = 0;

  /** The hour's usage in the ledger and hourly total, and its report as the sync leaves it: confirmed. */
  async function confirmedReport(meter: Meter, hourMs: number, quantity: number, seq = 1): Promise<string> {
    const at = new Date(H + hourMs + 60_000);
    const usage = { meter, quantity, idempotencyKey: `error-report-test:${n++}`, source: "test", at };
    await workflowCall(api.services, { tenantId: t.tenantId, workflowId: "error-report-test" }, (ctx) => recordUsage(ctx, usage));
    const hour = utcHour(at);
    const identifier = reportIdentifier(t.tenantId, meter, hour.getTime() / 1000, seq);
    await owner.sql`
      insert into meter_reports (tenant_id, meter, hour, seq, identifier, quantity, stripe_customer_id, state, sent_at, confirmed_at)
      values (${t.tenantId}, ${meter}, ${hour.toISOString()}, ${seq}, ${identifier}, ${quantity}, ${`cus_test_${t.tenantId}`}, 'confirmed', now(), now())`;
    await owner.sql`update usage_hourly set reported = reported + ${quantity} where tenant_id = ${t.tenantId} and meter = ${meter} and hour = ${hour.toISOString()}`;
    return identifier;
  }

  const stored = async (identifier: string) => {
    const [row] = await owner.sql<
      { state: string; rejected_reason: string | null; rejected_at: Date | null; rejected_by_event: string | null }[]
    >`
      select state, rejected_reason, rejected_at, rejected_by_event from meter_reports where identifier = ${identifier}`;
    assert.ok(row, `report ${identifier} exists`);
    return row;
  };

  const audited = async (eventId: string) => {
    const [row] = await owner.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log
      where tenant_id = ${t.tenantId} and action = 'billing.usage_rejected' and actor_kind = 'stripe' and actor_id = ${eventId}`;
    return row?.n ?? 0;
  };

  before(async () => {
    api = await startApi();
    owner = ownerDb();
    t = await newTenant(api, "Error reports");
    finance = (await addMember(api, t, "FINANCE")).token;
  });
  after(async () => {
    await owner?.close();
    await api?.close();
  });

  it("marks the named report rejected with Stripe's reason, once, and reconciliation shows it", async () => {
    const rejectedId = await confirmedReport("points_ingested", 0, 1200);
    const keptId = await confirmedReport("predictions", 0, 4);
    const reason = "meter_event_customer_not_found: No customer with id cus_gone exists.";
    const event = signedErrorReport(api, [
      { identifier: rejectedId, code: "meter_event_customer_not_found", message: "No customer with id cus_gone exists." },
    ]);

    const first = await deliverWebhook(api, event);
    assert.equal(first.status, 200);
    assert.equal(first.body.outcome, "applied");
    const rejected = await stored(rejectedId);
    assert.equal(rejected.state, "rejected");
    assert.equal(rejected.rejected_reason, reason);
    assert.equal(rejected.rejected_by_event, event.id);
    assert.equal((await stored(keptId)).state, "confirmed", "a report the error report does not name stays confirmed");
    assert.equal(await audited(event.id), 1);

    const { usageReconciliation: r } = await gqlOk(api, g.RejectedReconciliationDocument, range, finance);
    assert.deepEqual(
      r.hours.map((h) => [h.hour, h.meter, h.reportedQuantity, h.confirmedQuantity, h.rejectedQuantity, h.status, h.rejectedReason]),
      [
        [iso(0), "POINTS_INGESTED", 1200, 0, 1200, "REJECTED", reason],
        [iso(0), "PREDICTIONS", 4, 4, 0, "MATCH", null],
      ],
    );
    assert.deepEqual(
      r.totals.map((x) => [x.meter, x.rejectedQuantity, x.status, x.rejectedReason]),
      [
        ["POINTS_INGESTED", 1200, "REJECTED", reason],
        ["PREDICTIONS", 0, "MATCH", null],
      ],
    );

    const operator = await financeOperatorToken(api);
    const why = "Reviewing the meter events Stripe rejected";
    const { operatorReconciliation: o } = await gqlOk(api, g.OperatorRejectedReconciliationDocument, { reason: why, ...range }, operator);
    assert.deepEqual(
      o.hours.filter((h) => h.tenantId === t.tenantId).map((h) => [h.meter, h.rejectedQuantity, h.status, h.rejectedReason]),
      [
        ["POINTS_INGESTED", 1200, "REJECTED", reason],
        ["PREDICTIONS", 0, "MATCH", null],
      ],
    );

    const csv = await fetch(`${api.url}/billing/reconciliation.csv?from=${range.from}&to=${range.to}`, {
      headers: { authorization: `Bearer ${finance}` },
    });
    assert.equal(csv.status, 200);
    assert.ok((await csv.text()).includes(`${iso(0)},POINTS_INGESTED,1200,1200,1200,0,0,REJECTED,1200,${reason},0,\r\n`));
    const ocsv = await fetch(
      `${api.url}/operator/billing/reconciliation.csv?reason=${encodeURIComponent(why)}&from=${range.from}&to=${range.to}`,
      { headers: { authorization: `Bearer ${operator}` } },
    );
    assert.equal(ocsv.status, 200);
    assert.ok(
      (await ocsv.text()).includes(
        `${t.tenantId},Error reports,${iso(0)},POINTS_INGESTED,1200,1200,1200,0,0,REJECTED,1200,${reason},0,\r\n`,
      ),
    );

    // The same event delivered again (Stripe retries until it is acknowledged): nothing changes.
    const replay = await deliverWebhook(
      api,
      signedErrorReport(api, [{ identifier: rejectedId, code: "meter_event_invalid_value", message: "A different message." }], {
        id: event.id,
      }),
    );
    assert.equal(replay.status, 200);
    assert.equal(replay.body.outcome, "duplicate");
    assert.deepEqual(await stored(rejectedId), rejected, "the replay left the report exactly as the first delivery did");
    assert.equal(await audited(event.id), 1, "one audit entry for the event");

    // A rejected report is not open any more: the sync does not send it again.
    const sent = await sendReports({ db: api.services.db, stripe: api.services.stripe }, { tenantId: t.tenantId });
    assert.equal(sent.confirmed, 0);
    assert.equal((await stored(rejectedId)).state, "rejected");
  });

  it("on a pre-aggregated meter rejects every report the hour's event carried, unless a newer total replaced it", async () => {
    // The tenant sends hours from H + 10 h on to the hourly meters: one event per hour with its
    // running total, under the identifier of the hour's newest report.
    await owner.sql`
      insert into billing_accounts (tenant_id, stripe_customer_id, hourly_meters_from)
      values (${t.tenantId}, ${`cus_test_${t.tenantId}`}, ${iso(10 * HOUR)})
      on conflict (tenant_id) do update set hourly_meters_from = excluded.hourly_meters_from`;
    const carried = [await confirmedReport("points_ingested", 10 * HOUR, 5, 1), await confirmedReport("points_ingested", 10 * HOUR, 3, 2)];
    const named = await confirmedReport("points_ingested", 10 * HOUR, 2, 3);
    const otherHour = await confirmedReport("points_ingested", 11 * HOUR, 9, 1);
    const event = signedErrorReport(api, [{ identifier: named, code: "meter_event_customer_not_found", message: "No such customer." }]);
    const res = await deliverWebhook(api, event);
    assert.equal(res.status, 200);
    assert.equal(res.body.outcome, "applied");
    for (const id of [...carried, named]) {
      const row = await stored(id);
      assert.deepEqual([row.state, row.rejected_by_event], ["rejected", event.id], `${id}: carried by the rejected total`);
    }
    assert.equal((await stored(otherHour)).state, "confirmed", "another hour's event is not touched");
    const { usageReconciliation: r } = await gqlOk(api, g.RejectedReconciliationDocument, range, finance);
    const hour10 = r.hours.find((h) => h.hour === iso(10 * HOUR) && h.meter === "POINTS_INGESTED");
    assert.deepEqual(
      [hour10?.reportedQuantity, hour10?.confirmedQuantity, hour10?.rejectedQuantity, hour10?.status],
      [10, 0, 10, "REJECTED"],
    );

    // An error report about an hour's older event that a newer total replaced since changes nothing:
    // Stripe keeps the newest event of the hour, which carries the whole hour.
    const older = await confirmedReport("predictions", 12 * HOUR, 4, 1);
    const newer = await confirmedReport("predictions", 12 * HOUR, 1, 2);
    const late = signedErrorReport(api, [{ identifier: older, code: "meter_event_invalid_value", message: "Invalid value." }]);
    const ignored = await deliverWebhook(api, late);
    assert.equal(ignored.status, 200);
    assert.equal(ignored.body.outcome, "ignored");
    assert.deepEqual([(await stored(older)).state, (await stored(newer)).state], ["confirmed", "confirmed"]);
    assert.equal(await audited(late.id), 0);
  });

  it("acknowledges an error report naming only meter events it never sent, without effect", async () => {
    const keptId = await confirmedReport("training_runs", 2 * HOUR, 1);
    const event = signedErrorReport(api, [
      { identifier: `unknown_${randomBytes(6).toString("hex")}`, code: "archived_meter", message: "The meter is archived." },
    ]);
    const res = await deliverWebhook(api, event);
    assert.equal(res.status, 200);
    assert.equal(res.body.outcome, "ignored");
    assert.equal((await stored(keptId)).state, "confirmed");
    const [count] = await owner.sql<{ n: number }[]>`select count(*)::int as n from meter_reports where rejected_by_event = ${event.id}`;
    assert.equal(count?.n, 0);
  });

  it("refuses an error report with a forged or missing signature, and changes nothing", async () => {
    const keptId = await confirmedReport("points_ingested", 3 * HOUR, 7);
    const sample = { identifier: keptId, code: "meter_event_invalid_value", message: "Value must be a whole number." };
    const forged = await deliverWebhook(api, signedErrorReport(api, [sample], { secret: "whsec_not_ours" }));
    assert.equal(forged.status, 400);
    assert.equal(forged.body.error?.code, "VALIDATION");
    assert.match(forged.body.error?.message ?? "", /signature does not match/);
    const unsigned = await deliverWebhook(api, { ...signedErrorReport(api, [sample]), header: "" });
    assert.equal(unsigned.status, 400);
    assert.equal((await stored(keptId)).state, "confirmed");
  });
});
