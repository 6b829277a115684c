import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { and, eq } from "drizzle-orm";
import { auditLog } from "../src/audit/schema.js";
import { stripeEvents } from "../src/billing/schema.js";
import { withTenant } from "../src/db/client.js";
import { tenantDatabase } from "../src/telemetry/influx/influxql.js";
import { tenants } from "../src/tenancy/schema.js";
import { BillingAccountDocument } from "./generated/graphql.js";
import {
  createTestPlan,
  customerOf,
  deliverWebhook,
  nextStripeTime,
  signedStripeEvent,
  subscribeTenant,
  subscriptionObject,
} from "./support/billing.js";
import { type Api, gqlOk, newTenant, startApi, type TestTenant } from "./support/harness.js";

const DAY = 86_400;

describe("Stripe webhooks", () => {
  let api: Api;
  let plan: { id: string; code: string };

  before(async () => {
    api = await startApi();
    plan = await createTestPlan(api, { name: "Webhook plan", retentionDays: 30 });
  });

  after(async () => {
    await api?.close();
  });

  /** A tenant with an active subscription, and what a subscription event of it looks like. */
  async function subscribed(name: string) {
    const t = await newTenant(api, name);
    const { customerId, subscriptionId } = await subscribeTenant(api, t, plan.code);
    const sub = (status: string, extra: { periodStart?: number } = {}) =>
      subscriptionObject({
        id: subscriptionId,
        customer: customerId,
        tenantId: t.tenantId,
        planId: plan.id,
        planCode: plan.code,
        status,
        ...extra,
      });
    const invoice = () => ({ id: `in_${subscriptionId}`, object: "invoice", customer: customerId, subscription: subscriptionId });
    return { t, customerId, subscriptionId, sub, invoice };
  }

  const account = async (t: TestTenant) => (await gqlOk(api, BillingAccountDocument, {}, t.token)).billingAccount;

  const storedEvents = (t: TestTenant, id?: string) =>
    withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
      tx
        .select()
        .from(stripeEvents)
        .where(id ? and(eq(stripeEvents.tenantId, t.tenantId), eq(stripeEvents.id, id)) : eq(stripeEvents.tenantId, t.tenantId)),
    );

  it("subscribes through checkout and webhooks, and the telemetry retention follows the plan", async () => {
    const { t, subscriptionId } = await subscribed("Subscriber");
    const state = await account(t);
    assert.equal(state.status, "ACTIVE");
    assert.equal(state.plan?.code, plan.code);
    assert.equal(state.subscriptionId, subscriptionId);
    assert.ok(state.currentPeriodEnd && state.currentPeriodStart && state.currentPeriodEnd > state.currentPeriodStart);
    const { INFLUX_URL, INFLUX_USERNAME, INFLUX_PASSWORD } = api.services.config;
    const url = new URL("/query", INFLUX_URL);
    url.searchParams.set("q", `SHOW RETENTION POLICIES ON "${tenantDatabase(t.tenantId)}"`);
    const res = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${INFLUX_USERNAME}:${INFLUX_PASSWORD}`).toString("base64")}` },
    });
    const body = (await res.json()) as { results: { series?: { values: unknown[][] }[] }[] };
    const autogen = body.results[0]?.series?.[0]?.values.find((v) => v[0] === "autogen");
    assert.equal(autogen?.[1], "720h0m0s", "30 days");
    const [stored] = await withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
      tx.select({ retentionDays: tenants.retentionDays }).from(tenants).where(eq(tenants.id, t.tenantId)),
    );
    assert.equal(stored?.retentionDays, 30, "the tenant's stored retention follows the plan too");
    const audit = await withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, t.tenantId), eq(auditLog.actorKind, "stripe"))),
    );
    assert.ok(audit.length >= 1, "the change of status is in the tenant's audit log");
    assert.ok(audit.every((a) => a.actorId.startsWith("evt_")));
  });

  it("applies an event delivered three times once", async () => {
    const { t, invoice } = await subscribed("Thrice");
    const event = signedStripeEvent(api, "invoice.payment_failed", invoice());
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await deliverWebhook(api, event));
    assert.deepEqual(
      answers.map((a) => [a.status, a.body.outcome]),
      [
        [200, "applied"],
        [200, "duplicate"],
        [200, "duplicate"],
      ],
    );
    assert.equal((await storedEvents(t, event.id)).length, 1);
    const state = await account(t);
    assert.equal(state.status, "PAST_DUE");
    assert.ok(state.pastDueSince && state.graceEndsAt);
  });

  it("ends in the newest state when subscription events arrive out of order", async () => {
    const { t, sub } = await subscribed("Out of order");
    const older = nextStripeTime();
    const newer = nextStripeTime();
    const updated = await deliverWebhook(api, signedStripeEvent(api, "customer.subscription.updated", sub("past_due"), { created: newer }));
    const created = await deliverWebhook(api, signedStripeEvent(api, "customer.subscription.created", sub("active"), { created: older }));
    assert.equal(updated.body.outcome, "applied");
    assert.equal(created.body.outcome, "stale");
    assert.equal((await account(t)).status, "PAST_DUE");
    const outcomes = (await storedEvents(t)).map((e) => e.outcome);
    assert.ok(outcomes.includes("stale"), "the stale event is recorded as such");
  });

  it("ends in the newest state when invoice events arrive out of order", async () => {
    const { t, invoice } = await subscribed("Invoices out of order");
    const older = nextStripeTime();
    const newer = nextStripeTime();
    const failed = await deliverWebhook(api, signedStripeEvent(api, "invoice.payment_failed", invoice(), { created: newer }));
    const paid = await deliverWebhook(api, signedStripeEvent(api, "invoice.paid", invoice(), { created: older }));
    assert.deepEqual([failed.body.outcome, paid.body.outcome], ["applied", "stale"]);
    assert.equal((await account(t)).status, "PAST_DUE");
    const later = await deliverWebhook(api, signedStripeEvent(api, "invoice.paid", invoice()));
    assert.equal(later.body.outcome, "applied");
    const state = await account(t);
    assert.equal(state.status, "ACTIVE");
    assert.equal(state.pastDueSince, null);
  });

  it("refuses a forged, a stale and a missing signature with 400, storing nothing", async () => {
    const { t, invoice } = await subscribed("Forgery target");
    const forged = signedStripeEvent(api, "invoice.payment_failed", invoice(), { secret: "whsec_not_the_endpoint_secret_at_all" });
    const stale = signedStripeEvent(api, "invoice.payment_failed", invoice(), { timestamp: Math.floor(Date.now() / 1000) - 600 });
    const valid = signedStripeEvent(api, "invoice.payment_failed", invoice());
    const tampered = { header: valid.header, payload: valid.payload.replace('"invoice.payment_failed"', '"invoice.paid"') };
    for (const [label, event] of [
      ["forged", forged],
      ["stale", stale],
      ["tampered", tampered],
      ["unsigned", { header: "", payload: valid.payload }],
    ] as const) {
      const answer = await deliverWebhook(api, event);
      assert.equal(answer.status, 400, label);
      assert.equal(answer.body.error?.code, "VALIDATION", label);
      assert.ok((answer.body.error?.message.length ?? 0) > 10, label);
    }
    assert.equal((await storedEvents(t, forged.id)).length, 0);
    assert.equal((await storedEvents(t, stale.id)).length, 0);
    assert.equal((await storedEvents(t, valid.id)).length, 0);
    assert.equal((await account(t)).status, "ACTIVE");
  });

  it("becomes read-only once the grace period after a failed payment is over", async () => {
    const { t, invoice } = await subscribed("Late payer");
    const graceDays = api.services.config.BILLING_GRACE_DAYS;
    const longAgo = Math.floor(Date.now() / 1000) - (graceDays + 1) * DAY;
    // Stripe delivers late (a retried delivery): the event's own time is what counts.
    const answer = await deliverWebhook(api, signedStripeEvent(api, "invoice.payment_failed", invoice(), { created: longAgo }));
    assert.equal(answer.body.outcome, "applied");
    const state = await account(t);
    assert.equal(state.status, "READ_ONLY");
    assert.equal(state.pastDueSince, new Date(longAgo * 1000).toISOString());
    await deliverWebhook(api, signedStripeEvent(api, "invoice.paid", invoice()));
    assert.equal((await account(t)).status, "ACTIVE");
  });

  it("treats a past_due subscription like a failed payment", async () => {
    const { t, sub } = await subscribed("Past due subscription");
    await deliverWebhook(api, signedStripeEvent(api, "customer.subscription.updated", sub("past_due")));
    const state = await account(t);
    assert.equal(state.status, "PAST_DUE");
    assert.ok(state.graceEndsAt);
  });

  it("is cancelled after the subscription is deleted, and a late update does not revive it", async () => {
    const { t, sub } = await subscribed("Leaver");
    const deletedAt = nextStripeTime();
    const deleted = await deliverWebhook(
      api,
      signedStripeEvent(api, "customer.subscription.deleted", sub("canceled"), { created: deletedAt }),
    );
    assert.equal(deleted.body.outcome, "applied");
    const late = await deliverWebhook(
      api,
      signedStripeEvent(api, "customer.subscription.updated", sub("active"), { created: deletedAt - 1 }),
    );
    assert.equal(late.body.outcome, "stale");
    const state = await account(t);
    assert.equal(state.status, "CANCELLED");
    assert.equal(state.plan?.code, "free", "the subscribed plan no longer applies: the free tier's limits do (writes stay refused)");
    const audit = await withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
      tx
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, t.tenantId), eq(auditLog.actorKind, "stripe"))),
    );
    assert.ok(audit.some((a) => (a.data as { status?: { to?: string } }).status?.to === "canceled"));
  });

  it("ignores events of unknown customers and stores other types as ignored", async () => {
    const unknown = await deliverWebhook(
      api,
      signedStripeEvent(api, "invoice.paid", { id: "in_x", object: "invoice", customer: "cus_nobody" }),
    );
    assert.deepEqual([unknown.status, unknown.body.outcome], [200, "ignored"]);
    const t = await newTenant(api, "Checkout forger");
    const claimed = await deliverWebhook(
      api,
      signedStripeEvent(api, "checkout.session.completed", {
        id: "cs_x",
        object: "checkout.session",
        mode: "subscription",
        customer: "cus_nobody",
        client_reference_id: "ten_does_not_exist",
      }),
    );
    assert.deepEqual([claimed.status, claimed.body.outcome], [200, "ignored"]);
    const { customerId } = await subscribeTenant(api, t, plan.code);
    assert.equal(await customerOf(api, t), customerId);
    const other = signedStripeEvent(api, "customer.updated", { id: customerId, object: "customer", name: "Checkout forger" });
    const answer = await deliverWebhook(api, other);
    assert.equal(answer.body.outcome, "ignored");
    const [row] = await storedEvents(t, other.id);
    assert.equal(row?.outcome, "ignored");
    assert.equal((await account(t)).status, "ACTIVE");
  });
});
