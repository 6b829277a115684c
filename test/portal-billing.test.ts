import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { Db } from "../src/db/client.js";
import { BillingAccountDocument, CreateAssetDocument, OperatorUpdatePlanDocument, PlansDocument } from "./generated/graphql.js";
import {
  createTestPlan,
  customerOf,
  deliverWebhook,
  financeOperatorToken,
  type SignedEvent,
  signedStripeEvent,
  subscribeTenant,
  subscriptionObject,
  syncTestCatalogue,
} from "./support/billing.js";
import {
  assertClean,
  axeViolations,
  launchChromium,
  openPortal,
  type PageWatch,
  screenshot,
  signIn,
  writeControls,
} from "./support/browser.js";
import { type Api, addMember, gql, gqlOk, newFleet, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { ownerDb } from "./support/plans.js";
import { interceptStripe, movePastGrace } from "./support/portal-billing.js";
import { type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";
import { msToNs, writeV2 } from "./support/telemetry.js";

let api: Api;
let proxy: StripeProxy;
let browser: Browser;
let owner: Db;
/** This file's plans: a code prefix of their own, so a later run can retire an earlier run's. */
const PREFIX = "portal-billing-";
let professional: { id: string; code: string };
let starter: { id: string; code: string };

before(async () => {
  proxy = await startStripeProxy(testConfig().STRIPE_API_BASE);
  api = await startApi(testConfig({ STRIPE_API_BASE: proxy.url }));
  browser = await launchChromium();
  owner = ownerDb();
  // Plans of an earlier run of this file are retired, so the page shows this run's (and the others on offer).
  const operator = await financeOperatorToken(api);
  const { plans } = await gqlOk(api, PlansDocument, {}, (await newTenant(api, "Plan reader")).token);
  for (const old of plans.filter((p) => p.code.startsWith(PREFIX))) {
    await gqlOk(api, OperatorUpdatePlanDocument, { id: old.id, input: { active: false }, reason: "test fixture: retire" }, operator);
  }
  const suffix = randomBytes(4).toString("hex");
  starter = await createTestPlan(api, {
    code: `${PREFIX}starter-${suffix}`,
    name: "Starter",
    baseAmount: 4900,
    pointsAmountPer1000: 2,
    predictionAmount: 5,
    trainingRunAmount: 300,
    pointsPerDay: 1_000_000,
    predictionsPerDay: 500,
    trainingRunsPerDay: 5,
    maxAssets: 50,
    maxModels: 5,
    retentionDays: 90,
  });
  professional = await createTestPlan(api, {
    code: `${PREFIX}professional-${suffix}`,
    name: "Professional",
    baseAmount: 123_456,
    pointsAmountPer1000: 1,
    predictionAmount: 3,
    trainingRunAmount: 250,
    retentionDays: 365,
    graphqlCostPerMinute: 120_000,
  });
  await syncTestCatalogue(api, [starter.id, professional.id]);
});

after(async () => {
  await browser?.close();
  await api?.close();
  await proxy?.close();
  await owner?.close();
});

async function openAs(watch: PageWatch, email: string, path: string) {
  await watch.page.goto(path);
  await signIn(watch, email);
  await watch.page.getByRole("navigation", { name: "Main" }).getByRole("link").first().waitFor();
}

const card = (page: Page, code: string) => page.locator(`li[data-plan="${code}"]`);
const status = (page: Page) => page.getByTestId("billing-status");
const banner = (page: Page) => page.locator(".billing-banner");

async function applied(event: SignedEvent) {
  const answer = await deliverWebhook(api, event);
  assert.equal(answer.status, 200);
  assert.equal(answer.body.outcome, "applied", JSON.stringify(answer.body));
}

/** The browser's formatting of a moment, as the portal's useFormat().dateTime in English (en-US) in UTC. */
const enDateTime = (iso: string) =>
  new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(new Date(iso));

describe("plan and billing", () => {
  it("an owner subscribes through Checkout, Stripe's webhooks make it active, a failed payment shows the banner, and after the grace period writes are refused", async () => {
    const tenant = await newTenant(api, "Subscribing Works");
    const fleet = await newFleet(api, tenant, { assets: 1, sensors: ["s1"] });
    const line = (value: number) => `${fleet.typeKey},asset=engine_1 s1=${value} ${msToNs(Date.now())}`;
    const watch = await openPortal(browser, api.url, { timezoneId: "UTC" });
    const { page } = watch;
    const stripe = await interceptStripe(page);
    await openAs(watch, tenant.ownerEmail, "/billing");
    await page.getByRole("heading", { name: "Plan & billing", level: 1 }).waitFor();
    assert.equal(await status(page).textContent(), "Not subscribed");
    assert.equal(await banner(page).count(), 0, "no banner while in good standing");

    // The plans side by side, in their currency from the minor units.
    const pro = card(page, professional.code);
    await pro.waitFor();
    assert.match((await pro.textContent()) ?? "", /Professional.*€1,234\.56 per month/);
    const figures = await pro.locator("dl dd").allTextContents();
    assert.deepEqual(figures, [
      "€0.01",
      "€0.03",
      "€2.50",
      "Unlimited",
      "Unlimited",
      "Unlimited",
      "Unlimited",
      "Unlimited",
      "50,000",
      "365 days",
      "120,000",
    ]);
    const starterFigures = await card(page, starter.code).locator("dl dd").allTextContents();
    assert.deepEqual(starterFigures.slice(0, 8), ["€0.02", "€0.05", "€3.00", "1,000,000", "500", "5", "50", "5"]);
    const free = card(page, "free");
    assert.match((await free.textContent()) ?? "", /Current plan.*€0\.00 per month.*Free tier/);
    assert.equal(await free.getByRole("button").count(), 0, "the free tier is not sold");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the billing page");
    await page.setViewportSize({ width: 1100, height: 1150 });
    await screenshot(page, "billing-plans");
    await page.setViewportSize({ width: 1100, height: 700 });

    // Subscribe: the browser is sent to the Checkout URL that stripe-mock returned.
    // The API's answer is read on its way to the page (the page navigates away at once).
    const answers: { checkout?: { url: string; sessionId: string }; portal?: { url: string } } = {};
    await page.route("**/graphql", async (route) => {
      // A request still on its way when the page closes at the test's end has nothing to report.
      const fetched = await route
        .fetch()
        .then(async (response) => ({ response, body: await response.text() }))
        .catch(() => null);
      if (!fetched) return;
      const { response, body } = fetched;
      const parsed = JSON.parse(body) as {
        data?: { startCheckout?: { url: string; sessionId: string }; openCustomerPortal?: { url: string } };
      };
      if (parsed.data?.startCheckout) answers.checkout = parsed.data.startCheckout;
      if (parsed.data?.openCustomerPortal) answers.portal = parsed.data.openCustomerPortal;
      await route.fulfill({ response, body }).catch(() => {});
    });
    const sessionsBefore = proxy.records.filter((r) => r.path === "/v1/checkout/sessions").length;
    await pro.getByRole("button", { name: "Subscribe to Professional" }).click();
    await page.waitForURL(/^https:\/\/checkout\.stripe\.com\//);
    const data = { startCheckout: answers.checkout ?? { url: "", sessionId: "" } };
    assert.equal(page.url(), data.startCheckout.url, "the browser went to the URL stripe-mock returned");
    assert.match(data.startCheckout.url, /^https:\/\/checkout\.stripe\.com\//);
    await page.getByRole("heading", { name: "Stripe (test stand-in)" }).waitFor();
    const sessions = proxy.records.filter((r) => r.path === "/v1/checkout/sessions");
    assert.equal(sessions.length, sessionsBefore + 1, "one Checkout Session");
    const params = sessions.at(-1)?.params;
    const successUrl = params?.get("success_url") ?? "";
    assert.match(successUrl, /\/billing\?checkout=success&session_id=\{CHECKOUT_SESSION_ID\}$/);
    assert.match(params?.get("cancel_url") ?? "", /\/billing\?checkout=cancelled$/);

    // Cancelled in Checkout: back on the page, told nothing was charged.
    await page.goto("/billing?checkout=cancelled");
    await page.getByText("Checkout was cancelled and nothing was charged.").waitFor();
    assert.equal(await status(page).textContent(), "Not subscribed");

    // Paid: Stripe sends the browser back before its webhooks arrive; the page waits for them without a reload.
    const sessionId = data.startCheckout.sessionId;
    await page.goto(`/billing${new URL(successUrl).search.replace("{CHECKOUT_SESSION_ID}", sessionId)}`);
    await page.getByText("Stripe is confirming the payment").waitFor();
    const customer = (await customerOf(api, tenant)) ?? "";
    assert.match(customer, /^cus_/);
    const subscriptionId = `sub_test_${randomBytes(6).toString("hex")}`;
    const metadata = { tenant_id: tenant.tenantId, plan_id: professional.id };
    await applied(
      signedStripeEvent(api, "checkout.session.completed", {
        id: sessionId,
        object: "checkout.session",
        mode: "subscription",
        status: "complete",
        payment_status: "paid",
        customer,
        subscription: subscriptionId,
        client_reference_id: tenant.tenantId,
        metadata,
      }),
    );
    const sub = subscriptionObject({
      id: subscriptionId,
      customer,
      tenantId: tenant.tenantId,
      planId: professional.id,
      planCode: professional.code,
      status: "active",
    });
    await applied(signedStripeEvent(api, "customer.subscription.created", sub));
    await page.getByText("Payment confirmed: your subscription to Professional is active.").waitFor();
    assert.equal(await status(page).textContent(), "Active");
    assert.match((await pro.textContent()) ?? "", /Current plan/);
    assert.equal(await pro.getByRole("button").count(), 0, "no button on the current plan");
    await card(page, starter.code).getByRole("button", { name: "Change plan" }).waitFor();
    await page.getByRole("button", { name: "Manage payment" }).waitFor();
    await screenshot(page, "billing");

    // Manage payment: the browser goes to the Customer Portal stripe-mock returned.
    await page.getByRole("button", { name: "Manage payment" }).click();
    await page.waitForURL((url) => url.protocol === "https:");
    const portalUrl = answers.portal?.url ?? "";
    assert.equal(page.url(), new URL(portalUrl).href, "the browser went to the Customer Portal URL stripe-mock returned");
    assert.ok(proxy.records.some((r) => r.path === "/v1/billing_portal/sessions"));

    // A failed payment: past due, with the grace end, on every page.
    const invoice = { id: `in_${subscriptionId}`, object: "invoice", customer, subscription: subscriptionId };
    await applied(signedStripeEvent(api, "invoice.payment_failed", invoice));
    await page.goto("/billing");
    await banner(page).waitFor();
    const { graceEndsAt } = (await gqlOk(api, BillingAccountDocument, {}, tenant.token)).billingAccount;
    assert.ok(graceEndsAt);
    const graceText = enDateTime(graceEndsAt);
    const pastDue = (await banner(page).textContent()) ?? "";
    assert.match(pastDue, /A payment is overdue/);
    assert.ok(pastDue.includes(`Everything keeps working until ${graceText}.`), pastDue);
    assert.match(pastDue, /data can still be read and exported, but telemetry writes are refused/);
    assert.equal(await status(page).textContent(), "Payment overdue");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations with the past-due banner");
    await screenshot(page, "billing-past-due");
    await page.getByRole("link", { name: "Fleet" }).click();
    await page.waitForURL(/\/fleet/);
    assert.match((await banner(page).textContent()) ?? "", /A payment is overdue/, "the banner on another page");
    assert.equal((await writeV2(api, fleet.deviceToken, line(1))).status, 204);

    // The grace period passes: read-only; the API refuses writes with its message, and the banner says what still works.
    await movePastGrace(owner, tenant.tenantId, api.services.config.BILLING_GRACE_DAYS);
    api.services.scopes.clear();
    const write = await writeV2(api, fleet.deviceToken, line(2));
    assert.equal(write.status, 402);
    const refusal = String(write.body.message ?? "");
    assert.match(refusal, /grace period ended at .*nothing written until the invoice is paid/);
    const created = await gql(
      api,
      CreateAssetDocument,
      { input: { assetTypeId: fleet.typeId, externalId: "e9", name: "E9" } },
      tenant.token,
    );
    assert.equal(created.errors?.[0]?.extensions?.code, "PAYMENT_REQUIRED");
    assert.equal(created.errors?.[0]?.message, refusal, "GraphQL and /api/v2/write refuse with the same message");
    await page.reload();
    await banner(page).getByText("This company is read-only").waitFor();
    const readOnly = (await banner(page).textContent()) ?? "";
    const endedText = enDateTime(
      new Date(Date.parse(graceEndsAt) - (api.services.config.BILLING_GRACE_DAYS + 1) * 86_400_000).toISOString(),
    );
    assert.ok(readOnly.includes(`The grace period for an overdue payment ended on ${endedText}.`), readOnly);
    assert.match(readOnly, /You can still read everything and download exports; telemetry writes.*are refused until the invoice is paid/);
    await page.getByRole("link", { name: "Pay the invoice under Plan & billing" }).click();
    await page.waitForURL(/\/billing$/);
    assert.equal(await status(page).textContent(), "Read-only");
    await page.getByRole("button", { name: "Manage payment" }).waitFor();
    await page.getByText("Pay the open invoice under Manage payment").waitFor();
    await screenshot(page, "billing-read-only");

    assert.deepEqual(
      stripe.intercepted.map((u) => new URL(u).origin),
      [new URL(data.startCheckout.url).origin, new URL(portalUrl).origin],
      "only Stripe's two pages were asked for, and answered by the test",
    );
    watch.foreignRequests.splice(0, watch.foreignRequests.length, ...watch.foreignRequests.filter((u) => !stripe.intercepted.includes(u)));
    assertClean(watch);
    await watch.context.close();
  });

  it("finance sees plans and status with what billing:write allows; an admin reads without a control; a viewer has no billing link but sees the banner", async () => {
    const tenant = await newTenant(api, "Roles Works");
    const finance = await addMember(api, tenant, "FINANCE");
    const admin = await addMember(api, tenant, "ADMIN");
    const viewer = await addMember(api, tenant, "VIEWER");

    const financeWatch = await openPortal(browser, api.url);
    await openAs(financeWatch, finance.email, "/finance");
    await financeWatch.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Plan & billing" }).click();
    await card(financeWatch.page, professional.code).waitFor();
    assert.equal(await status(financeWatch.page).textContent(), "Not subscribed");
    // The API gives finance billing:write: it may subscribe, so the button is there.
    await card(financeWatch.page, professional.code).getByRole("button", { name: "Subscribe to Professional" }).waitFor();
    assertClean(financeWatch);
    await financeWatch.context.close();

    const adminWatch = await openPortal(browser, api.url);
    await openAs(adminWatch, admin.email, "/billing");
    await card(adminWatch.page, professional.code).waitFor();
    await adminWatch.page.getByText("You can see the plan and the subscription; owners and finance members change them.").waitFor();
    assert.deepEqual(await writeControls(adminWatch.page), [], "an admin has no billing control");
    assert.deepEqual(await axeViolations(adminWatch.page), []);
    assertClean(adminWatch);
    await adminWatch.context.close();

    await subscribeTenant(api, tenant, starter.code);
    const { customerId } = { customerId: (await customerOf(api, tenant)) ?? "" };
    await applied(signedStripeEvent(api, "invoice.payment_failed", { id: "in_roles", object: "invoice", customer: customerId }));
    const viewerWatch = await openPortal(browser, api.url);
    await openAs(viewerWatch, viewer.email, "/fleet");
    const nav = viewerWatch.page.getByRole("navigation", { name: "Main" });
    assert.equal(await nav.getByRole("link", { name: "Plan & billing" }).count(), 0, "no billing link for a viewer");
    await banner(viewerWatch.page).waitFor();
    const text = (await banner(viewerWatch.page).textContent()) ?? "";
    assert.match(text, /A payment is overdue.*An owner or a finance member of your company can settle it\./);
    assert.equal(await banner(viewerWatch.page).getByRole("link").count(), 0);
    assert.deepEqual(await writeControls(viewerWatch.page), []);
    // Typed by hand, the page shows the API's refusal with its request id.
    await viewerWatch.page.goto("/billing");
    await viewerWatch.page.getByRole("alert").getByText('This operation needs the "billing:read" scope.').waitFor();
    await viewerWatch.page
      .getByRole("alert")
      .getByText(/req_|Request id/)
      .first()
      .waitFor();
    assertClean(viewerWatch, [/status of 403/]);
    await viewerWatch.context.close();
  });

  it("renders in German for a de-DE browser, money as 1.234,56 €", async () => {
    const tenant: TestTenant = await newTenant(api, "Deutsche Werke GmbH");
    const english = await openPortal(browser, api.url);
    await openAs(english, tenant.ownerEmail, "/billing");
    const session = await english.page.evaluate(() => sessionStorage.getItem("pdm.portal.session"));
    await english.context.close();

    const german = await openPortal(browser, api.url, { locale: "de-DE", timezoneId: "Europe/Berlin" } as { timezoneId: string });
    await german.context.addInitScript((stored) => {
      if (stored) sessionStorage.setItem("pdm.portal.session", stored);
    }, session);
    await german.page.goto("/billing");
    await german.page.getByRole("heading", { name: "Tarif & Abrechnung", level: 1 }).waitFor();
    const pro = card(german.page, professional.code);
    await pro.waitFor();
    assert.match((await pro.textContent()) ?? "", /1\.234,56\s€ pro Monat/);
    await pro.getByRole("button", { name: "Professional abonnieren" }).waitFor();
    await german.page.getByText("Je 1.000 erfasste Messpunkte").first().waitFor();
    assert.equal(await status(german.page).textContent(), "Kein Abonnement");
    assert.deepEqual(await axeViolations(german.page), []);
    await screenshot(german.page, "billing-de");
    assertClean(german);
    await german.context.close();
  });
});
