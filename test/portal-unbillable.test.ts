import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type Stripe from "stripe";
import type { Meter } from "../src/billing/schema.js";
import { createStripe } from "../src/billing/stripe.js";
import { utcHour } from "../src/billing/usage.js";
import { sendReports } from "../src/billing/usage-sync.js";
import { planReports, reportIdentifier } from "../src/billing/usage-sync-plan.js";
import type { Db } from "../src/db/client.js";
import * as g from "./generated/graphql.js";
import { deliverWebhook } from "./support/billing.js";
import { assertClean, axeViolations, launchChromium, openPortal, screenshot } from "./support/browser.js";
import { type Api, addMember, gqlOk, newOperator, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { insertTestPlan, ownerDb, setSubscription } from "./support/plans.js";
import { enMoney, giveReason, signInOperator } from "./support/portal-operator.js";
import { openSignedIn, partScreenshot } from "./support/portal-usage.js";
import { type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";
import { ensureStripeMeters, recordTestUsage } from "./support/usage.js";

// A customer whose usage reports include an hour Stripe rejected in its error report and hours no
// invoice can include, made through the real paths (the usage sync's plan and send against
// stripe-mock behind the recording proxy, and a signed error report through the webhook), then read
// in the portal: the customer's reconciliation and the finance operators' views, figure for figure.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PRICES = { baseAmount: 4900, pointsAmountPer1000: 13, predictionAmount: 7, trainingRunAmount: 333 };
const thisHour = utcHour(new Date()).getTime();
/** Points in this hour: Stripe confirms them, then rejects them in its error report. */
const REJECTED_HOUR = thisHour - 3 * HOUR;
/** Predictions in this hour: Stripe answers that it does not know the customer. */
const DELETED_HOUR = thisHour - 4 * HOUR;
/** Training runs 40 days back: beyond Stripe's 35 days, never sent. */
const OLD_HOUR = thisHour - 40 * DAY;
const POINTS = 1200;
const PREDICTIONS = 6;
const TRAINING_RUNS = 2;
const STRIPE_REASON = "meter_event_invalid_value: Value must be a whole number of points.";
const periodStart = new Date(thisHour - 2 * DAY);
const METER_EVENTS = "/v1/billing/meter_events";

let api: Api;
let owner: Db;
let browser: Browser;
let proxy: StripeProxy;
let stripe: Stripe;
let tenant: TestTenant;

const iso = (ms: number) => new Date(ms).toISOString();
const id = (meter: Meter, hour: number) => reportIdentifier(tenant.tenantId, meter, hour / 1000, 1);

/** Stripe's v1.billing.meter.error_report_triggered (a v2 event naming the meter) for one sent event, signed. */
function signedErrorReport(identifier: string) {
  const [code, message] = STRIPE_REASON.split(": ");
  const eventId = `evt_test_${randomBytes(8).toString("hex")}`;
  const payload = JSON.stringify({
    id: eventId,
    object: "v2.core.event",
    type: "v1.billing.meter.error_report_triggered",
    created: new Date().toISOString(),
    livemode: false,
    related_object: { id: "mtr_test_points_ingested", type: "billing.meter", url: "/v1/billing/meters/mtr_test_points_ingested" },
    data: {
      developer_message_summary: "There was 1 invalid meter event.",
      validation_start: iso(REJECTED_HOUR),
      validation_end: iso(REJECTED_HOUR + HOUR),
      reason: {
        error_count: 1,
        error_types: [{ code, error_count: 1, sample_errors: [{ error_message: message, request: { identifier } }] }],
      },
    },
  });
  const header = api.services.stripe.webhooks.generateTestHeaderString({ payload, secret: api.services.config.STRIPE_WEBHOOK_SECRET });
  return { id: eventId, payload, header };
}

before(async () => {
  api = await startApi();
  owner = ownerDb();
  browser = await launchChromium();
  proxy = await startStripeProxy(testConfig().STRIPE_API_BASE);
  stripe = createStripe(api.services.config.STRIPE_SECRET_KEY, proxy.url, 2_000);
  tenant = await newTenant(api, "Unbillable Works");
  const plan = await insertTestPlan(owner, PRICES);
  await setSubscription(owner, tenant.tenantId, {
    planId: plan.id,
    status: "active",
    periodStart,
    periodEnd: new Date(thisHour + 28 * DAY),
  });
  await ensureStripeMeters();
  await recordTestUsage(api, tenant.tenantId, [
    { meter: "points_ingested", quantity: POINTS, at: new Date(REJECTED_HOUR + 10 * 60_000) },
    { meter: "predictions", quantity: PREDICTIONS, at: new Date(DELETED_HOUR + 20 * 60_000) },
    { meter: "training_runs", quantity: TRAINING_RUNS, at: new Date(OLD_HOUR + 30 * 60_000) },
  ]);
  // The usage sync's two steps for this tenant: plan the closed hours' reports, then send them.
  await planReports(api.services, { tenantId: tenant.tenantId, now: new Date() });
  const gone = id("predictions", DELETED_HOUR);
  proxy.setFaults((method, path, _n, params) =>
    method === "POST" && path === METER_EVENTS && params.get("identifier") === gone ? "customerMissing" : "pass",
  );
  const sent = await sendReports({ db: api.services.db, stripe }, { tenantId: tenant.tenantId });
  assert.equal(sent.confirmed, 1, "the points were confirmed");
  assert.equal(sent.unbillable, 2, "the predictions (customer unknown) and the training runs (too old)");
  const answer = await deliverWebhook(api, signedErrorReport(id("points_ingested", REJECTED_HOUR)));
  assert.equal(answer.body.outcome, "applied");
  const states = await owner.sql<{ meter: string; state: string; reason: string | null }[]>`
    select meter, state, coalesce(unbillable_reason, rejected_reason) as reason from meter_reports
    where tenant_id = ${tenant.tenantId} order by meter`;
  assert.deepEqual(
    states.map((s) => [s.meter, s.state, s.reason]),
    [
      ["points_ingested", "rejected", STRIPE_REASON],
      ["predictions", "unbillable", "customer_deleted"],
      ["training_runs", "unbillable", "too_old"],
    ],
  );
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await owner?.close();
  await api?.close();
});

/** What a reconciliation row shows: its figures, status and reasons, as the page renders them. */
function reconRows(page: Page, table: string) {
  return page.locator(`${table} tbody tr`).evaluateAll((rows) =>
    rows.map((r) => ({
      hour: r.getAttribute("data-hour"),
      meter: r.getAttribute("data-meter"),
      rejected: r.querySelector("[data-cell=rejected]")?.textContent,
      unbillable: r.querySelector("[data-cell=unbillable]")?.textContent,
      status: r.querySelector("[data-status]")?.getAttribute("data-status"),
      reasons: [...r.querySelectorAll("[data-reason]")].map((e) => e.textContent),
    })),
  );
}

describe("rejected and unbillable usage in the portal", () => {
  it("shows the customer's finance person each rejected and unbillable hour with its quantity, its reason and what it means", async () => {
    const finance = await addMember(api, tenant, "FINANCE");
    const page = await openSignedIn(browser, api, finance.email, "en-US");
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto("/usage");
    await page.locator("table[data-table=reconciliation-hours]").waitFor();

    const hours = await reconRows(page, "table[data-table=reconciliation-hours]");
    assert.deepEqual(
      hours.filter((h) => h.status === "REJECTED" || h.status === "UNBILLABLE"),
      [
        {
          hour: iso(REJECTED_HOUR),
          meter: "POINTS_INGESTED",
          rejected: "1,200",
          unbillable: "0",
          status: "REJECTED",
          reasons: [`Stripe's reason: ${STRIPE_REASON}`],
        },
        {
          hour: iso(DELETED_HOUR),
          meter: "PREDICTIONS",
          rejected: "0",
          unbillable: "6",
          status: "UNBILLABLE",
          reasons: ["Billing customer deleted"],
        },
      ],
    );
    const totals = await reconRows(page, "table[data-table=reconciliation-totals]");
    assert.deepEqual(
      totals.map((t) => [t.meter, t.rejected, t.unbillable, t.status, t.reasons]),
      [
        ["POINTS_INGESTED", "1,200", "0", "REJECTED", [`Stripe's reason: ${STRIPE_REASON}`]],
        ["PREDICTIONS", "0", "6", "UNBILLABLE", ["Billing customer deleted"]],
      ],
    );
    // The same figures as the API's answer for the range the page asked for.
    const { usageReconciliation } = await gqlOk(
      api,
      g.UsageReconciliationUnbillableDocument,
      { from: iso(periodStart.getTime()), to: iso(thisHour + HOUR) },
      finance.token,
    );
    const fromApi = usageReconciliation.hours.filter((h) => h.status === "REJECTED" || h.status === "UNBILLABLE");
    assert.deepEqual(
      fromApi.map((h) => [h.hour, h.meter, h.status, h.unbillableQuantity, h.unbillableReasons]),
      [
        [iso(DELETED_HOUR), "PREDICTIONS", "UNBILLABLE", PREDICTIONS, ["CUSTOMER_DELETED"]],
        [iso(REJECTED_HOUR), "POINTS_INGESTED", "REJECTED", 0, []],
      ],
    );

    // What each state means and what to do, with the range's quantities.
    const rejectedNote = page.locator("[data-note=REJECTED]");
    assert.match((await rejectedNote.textContent()) ?? "", /Rejected by Stripe1,200 of the usage in this range was accepted by Stripe/);
    assert.match((await rejectedNote.textContent()) ?? "", /our finance team fixes the cause/);
    const unbillableNote = page.locator("[data-note=UNBILLABLE]");
    assert.match((await unbillableNote.textContent()) ?? "", /6 of the usage in this range can reach no invoice/);
    assert.match((await unbillableNote.textContent()) ?? "", /Billing customer deletedStripe no longer knows/);
    assert.doesNotMatch((await unbillableNote.textContent()) ?? "", /Too old for Stripe/, "only the reasons the range has");

    assert.deepEqual(await axeViolations(page), []);
    await partScreenshot(page, "section[aria-labelledby=usage-reconciliation]", "usage-reconciliation-rejected");
    assert.deepEqual(errors, []);
    await page.context().close();

    // In German: the badges, the translated reason and Stripe's own words unchanged.
    const de = await openSignedIn(browser, api, finance.email, "de-DE");
    await de.goto("/usage");
    const row = de.locator(`table[data-table=reconciliation-hours] tr[data-hour="${iso(DELETED_HOUR)}"][data-meter=PREDICTIONS]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /Nicht abrechenbar.*Abrechnungskunde gelöscht/);
    const rejectedDe = de.locator(
      `table[data-table=reconciliation-hours] tr[data-hour="${iso(REJECTED_HOUR)}"][data-meter=POINTS_INGESTED]`,
    );
    assert.match(
      (await rejectedDe.textContent()) ?? "",
      new RegExp(`1\\.200.*Von Stripe abgelehnt.*Begründung von Stripe: ${STRIPE_REASON}`),
    );
    assert.deepEqual(await axeViolations(de), []);
    await de.context().close();
  });

  it("lists unbillable usage for finance operators with the amount to the cent and the API's CSV; the reconciliation shows both states", async () => {
    const finance = await newOperator(api, "finance");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/operator/sign-in");
    await signInOperator(page, finance.email);
    const nav = page.getByRole("navigation", { name: "Operator console" });
    await nav.getByRole("link").first().waitFor();
    assert.deepEqual(await nav.getByRole("link").allTextContents(), ["Usage", "Reconciliation", "Unbillable usage", "Customers"]);
    await nav.getByRole("link", { name: "Unbillable usage" }).click();
    await page.getByRole("heading", { name: "Unbillable usage", level: 1 }).waitFor();
    assert.equal(await page.locator("tr[data-tenant-id]").count(), 0, "nothing is read before the reason");
    const reason = "Month-end close: usage no invoice includes";
    await giveReason(page, reason);

    const rows = page.locator(`tr[data-tenant-id="${tenant.tenantId}"]`);
    await rows.first().waitFor();
    const shown = await rows.evaluateAll((trs) =>
      trs.map((r) => ({
        meter: r.getAttribute("data-meter"),
        reason: r.getAttribute("data-reason"),
        why: r.querySelector("[data-cell=reason]")?.textContent,
        hours: r.querySelector("[data-cell=hours]")?.textContent,
        quantity: r.querySelector("[data-cell=quantity]")?.textContent,
        amount: r.querySelector("[data-cell=amount]")?.textContent,
      })),
    );
    const at = (ms: number) =>
      new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(ms));
    assert.deepEqual(shown, [
      {
        meter: "PREDICTIONS",
        reason: "CUSTOMER_DELETED",
        why: "Stripe customer deleted",
        hours: at(DELETED_HOUR),
        quantity: "6",
        amount: enMoney(PREDICTIONS * PRICES.predictionAmount, "eur"),
      },
      {
        meter: "TRAINING_RUNS",
        reason: "TOO_OLD",
        why: "Too old for Stripe",
        hours: at(OLD_HOUR),
        quantity: "2",
        amount: enMoney(TRAINING_RUNS * PRICES.trainingRunAmount, "eur"),
      },
    ]);
    assert.deepEqual(
      shown.map((r) => r.amount),
      ["€0.42", "€6.66"],
    );
    // The API's figures for the same rows.
    const { operatorUnbillableUsage } = await gqlOk(
      api,
      g.OperatorUnbillableUsageDocument,
      { reason: "test: compare with the page" },
      finance.token,
    );
    assert.deepEqual(
      operatorUnbillableUsage
        .filter((r) => r.tenantId === tenant.tenantId)
        .map((r) => [r.meter, r.reason, r.quantity, r.amount, r.currency]),
      [
        ["PREDICTIONS", "CUSTOMER_DELETED", PREDICTIONS, 42, "eur"],
        ["TRAINING_RUNS", "TOO_OLD", TRAINING_RUNS, 666, "eur"],
      ],
    );
    const eurTotal = operatorUnbillableUsage.filter((r) => r.currency === "eur").reduce((sum, r) => sum + r.amount, 0);
    assert.equal(await page.locator("tfoot tr[data-total=eur] td").textContent(), enMoney(eurTotal, "eur"));
    await screenshot(page, "operator-unbillable");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the unbillable usage");

    // The CSV is the API's own, for the reason given.
    const [csvRequest, download] = await Promise.all([
      page.waitForRequest((r) => new URL(r.url()).pathname === "/operator/billing/unbillable.csv"),
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const csvUrl = new URL(csvRequest.url());
    assert.equal(csvUrl.searchParams.get("reason"), reason);
    const expected = await fetch(new URL(`${csvUrl.pathname}${csvUrl.search}`, api.url), {
      headers: { authorization: `Bearer ${finance.token}` },
    });
    assert.equal(expected.status, 200);
    const csv = await readFile((await download.path()) ?? "", "utf8");
    assert.equal(csv, await expected.text());
    assert.equal(download.suggestedFilename(), "unbillable_all-tenants.csv");
    assert.ok(csv.includes(`${tenant.tenantId},Unbillable Works,TRAINING_RUNS,TOO_OLD,1,${iso(OLD_HOUR)},${iso(OLD_HOUR)},2,`));

    // The reconciliation across customers: both states, their quantities and reasons.
    await nav.getByRole("link", { name: "Reconciliation" }).click();
    await page.getByRole("heading", { name: "Reconciliation with Stripe", level: 1 }).waitFor();
    await giveReason(page, "Month-end close: meter reports");
    const recon = page.locator(`tr[data-tenant-id="${tenant.tenantId}"]`);
    await recon.first().waitFor();
    const reconShown = await recon.evaluateAll((trs) =>
      trs.map((r) => [
        r.getAttribute("data-meter"),
        r.querySelector("[data-cell=rejected]")?.textContent,
        r.querySelector("[data-cell=unbillable]")?.textContent,
        r.querySelector("[data-status]")?.getAttribute("data-status"),
        [...r.querySelectorAll("[data-reason]")].map((e) => e.textContent),
      ]),
    );
    assert.deepEqual(reconShown, [
      ["POINTS_INGESTED", "1,200", "0", "REJECTED", [`Stripe's reason: ${STRIPE_REASON}`]],
      ["PREDICTIONS", "0", "6", "UNBILLABLE", ["Stripe customer deleted"]],
    ]);
    await page.locator("[data-note=recon]").getByRole("link", { name: "Unbillable usage" }).waitFor();
    await screenshot(page, "operator-reconciliation-rejected");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the reconciliation");
    assertClean(watch);
    await watch.context.close();
  });

  it("does not give the unbillable usage to a support operator: no link, the view says so, and the API refuses", async () => {
    const support = await newOperator(api, "support");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/operator/sign-in");
    await signInOperator(page, support.email);
    await page.getByRole("heading", { name: "Support inbox", level: 1 }).waitFor();
    const nav = page.getByRole("navigation", { name: "Operator console" });
    assert.deepEqual(await nav.getByRole("link").allTextContents(), ["Support inbox", "Customers"]);
    await page.goto("/operator/unbillable");
    await page.getByText("This view is for finance operators; you are signed in as Support.").waitFor();
    assert.equal(await page.getByLabel("Why do you need this access?").count(), 0);
    assert.equal(await page.locator("table").count(), 0);
    const refused = await fetch(`${api.url}/operator/billing/unbillable.csv?reason=${encodeURIComponent("support trying finance")}`, {
      headers: { authorization: `Bearer ${support.token}` },
    });
    assert.equal(refused.status, 403);
    assert.deepEqual(await axeViolations(page), []);
    assertClean(watch);
    await watch.context.close();
  });
});
