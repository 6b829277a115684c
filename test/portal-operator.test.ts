import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { applyRulRule } from "../src/alerts/raise.js";
import { workflowCall } from "../src/core/calls.js";
import { newId } from "../src/core/ids.js";
import {
  AuditLogDocument,
  FleetOverviewDocument,
  InvoicePreviewDocument,
  OperatorUsageDocument,
  SetAlertRuleDocument,
  SupportInboxDocument,
} from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import { assertClean, axeViolations, launchChromium, openPortal, portalSession, screenshot, signIn } from "./support/browser.js";
import { type Api, gql, gqlOk, newFleet, newOperator, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { enMoney, giveReason, openPortalIn, operatorSession, signInOperator } from "./support/portal-operator.js";
import { recordTestUsage } from "./support/usage.js";

let api: Api;
let browser: Browser;

before(async () => {
  api = await startApi();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await api?.close();
});

/** A customer with `assets` engines and a remaining-life alert on each, raised as a scoring run does. */
async function alertingCustomer(name: string, assets: number) {
  const owner = await newTenant(api, name);
  const fleet = await newFleet(api, owner, { assets, sensors: ["s1"] });
  await gqlOk(api, SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 60, anomaly: true } }, owner.token);
  const alertIds = await workflowCall(api.services, { tenantId: owner.tenantId, workflowId: "wf_portal_operator" }, (ctx) =>
    applyRulRule(ctx, {
      assetTypeId: fleet.typeId,
      scores: fleet.assets.map((a, i) => ({
        assetId: a.id,
        predictionId: newId("prediction"),
        rul: 10 + i,
        low: 5 + i,
        high: 15 + i,
        modelVersionId: "mdv_test",
      })),
    }),
  );
  return { owner, fleet, alertIds };
}

const auditReasons = async (owner: TestTenant, action: string) => {
  const { auditLog } = await gqlOk(api, AuditLogDocument, { first: 50 }, owner.token);
  return auditLog.edges.filter((e) => e.node.action === action).map((e) => ({ actor: e.node.actorId, data: e.node.data }));
};

describe("the operator console", () => {
  it("lets support read the inbox of two customers and one customer's machines, each after a reason that lands in the customer's audit log", async () => {
    const a = await alertingCustomer("Operator Turbines AG", 3);
    const b = await alertingCustomer("Operator Presses GmbH", 2);
    const support = await newOperator(api, "support");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    const inboxReads: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/graphql" && (request.postData() ?? "").includes("PortalSupportInbox")) {
        inboxReads.push(request.postData() ?? "");
      }
    });

    // The console has its own sign-in: /operator without a session asks for it, then leads back.
    await page.goto("/operator/inbox");
    await page.getByRole("heading", { name: "Operator sign-in", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/operator/sign-in");
    await signInOperator(page, support.email);
    await page.getByRole("heading", { name: "Support inbox", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/operator/inbox");
    const nav = page.getByRole("navigation", { name: "Operator console" });
    assert.deepEqual(await nav.getByRole("link").allTextContents(), ["Support inbox", "Customers"]);

    // Nothing is read before the reason; a reason too short is refused in the form.
    await page.getByLabel("Why do you need this access?").waitFor();
    assert.equal(await page.locator("tr[data-alert-id]").count(), 0);
    await page.getByLabel("Why do you need this access?").fill("hm");
    await page.getByRole("button", { name: "Show", exact: true }).click();
    await page.getByText("Say why in at least 5 characters.").waitFor();
    assert.deepEqual(inboxReads, [], "no inbox read without a reason");

    const inboxReason = "Ticket 4711: morning look at unusual readings";
    await giveReason(page, inboxReason);
    assert.equal(await page.getByTestId("reason-logged").locator("p").textContent(), `Logged with your reason: “${inboxReason}”`);
    for (const id of [...a.alertIds, ...b.alertIds]) await page.locator(`tr[data-alert-id="${id}"]`).waitFor();
    const rowOf = (id: string | undefined) => page.locator(`tr[data-alert-id="${id}"]`);
    assert.match(
      (await rowOf(a.alertIds[0]).textContent()) ?? "",
      /Operator Turbines AG.*engine_1.*Remaining life low.*10 cycles left.*Open/,
    );
    assert.match((await rowOf(b.alertIds[1]).textContent()) ?? "", /Operator Presses GmbH.*engine_2.*11 cycles left/);
    await screenshot(page, "operator-inbox");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the inbox");

    // A customer's machines and alerts: a new view, so a new reason first.
    await rowOf(a.alertIds[0]).getByRole("link", { name: "Operator Turbines AG" }).click();
    await page.getByRole("heading", { name: "Machines and alerts", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/operator/tenants/${a.owner.tenantId}`);
    assert.equal(await page.getByTestId("reason-logged").count(), 0, "the inbox's reason does not carry over");
    assert.equal(await page.locator("tr[data-asset-id]").count(), 0);
    await screenshot(page, "operator-reason");
    const tenantReason = "Ticket 4712: customer asks why three engines alarm";
    await giveReason(page, tenantReason);
    await page.locator("tr[data-asset-id]").first().waitFor();
    const assets = page.getByRole("table", { name: "Assets" });
    assert.deepEqual(await assets.locator("tbody tr td:first-child").allTextContents(), ["engine_1", "engine_2", "engine_3"]);
    const alerts = page.getByRole("table", { name: "Unresolved alerts" });
    assert.deepEqual(
      (await alerts.locator("tr[data-alert-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-alert-id")))).sort(),
      [...a.alertIds].sort(),
    );
    assert.match(
      (await page.getByRole("table", { name: "Members" }).textContent()) ?? "",
      new RegExp(`Olivia Owner.*${a.owner.ownerEmail}.*Owner`),
    );
    assert.equal(await page.locator(`[data-tenant-id="${b.owner.tenantId}"]`).count(), 0, "nothing of the other customer");
    await screenshot(page, "operator-tenant");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the customer's page");

    // The reason is in the customer's own audit log, with the operator as the actor; not in the other's.
    const logged = await auditReasons(a.owner, "operator.tenant_fleet_viewed");
    assert.deepEqual(logged, [{ actor: support.id, data: { reason: tenantReason } }]);
    assert.deepEqual(await auditReasons(b.owner, "operator.tenant_fleet_viewed"), []);

    // The operator's token is no member session: the member area asks for a member sign-in, and the member API refuses it.
    const { token } = await operatorSession(page);
    await page.goto("/fleet");
    await page.getByRole("heading", { name: "Sign in", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/sign-in");
    const refused = await gql(api, FleetOverviewDocument, { first: 10 }, token);
    assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
    assert.match(refused.errors?.[0]?.message ?? "", /Operators reach tenant data only through the operator operations/);

    assertClean(watch);
    await watch.context.close();
  });

  it("shows finance the usage across customers, a customer's invoice preview and the CSV, and not the support inbox", async () => {
    const paid = await newPaidTenant(api, "Operator Billing KG");
    await recordTestUsage(api, paid.tenantId, [
      { meter: "points_ingested", quantity: 12_345, at: new Date() },
      { meter: "predictions", quantity: 7, at: new Date() },
    ]);
    const finance = await newOperator(api, "finance");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/operator/sign-in");
    await signInOperator(page, finance.email);
    await page.getByRole("heading", { name: "Usage across customers", level: 1 }).waitFor();
    const nav = page.getByRole("navigation", { name: "Operator console" });
    assert.deepEqual(await nav.getByRole("link").allTextContents(), ["Usage", "Reconciliation", "Unbillable usage", "Customers"]);

    const usageReason = "Month-end close: usage check";
    await giveReason(page, usageReason);
    const row = page.locator(`tr[data-tenant-id="${paid.tenantId}"]`);
    await row.waitFor();
    assert.equal(await row.locator('[data-meter="POINTS_INGESTED"]').textContent(), "12,345");
    assert.equal(await row.locator('[data-meter="PREDICTIONS"]').textContent(), "7");
    assert.equal(await row.locator('[data-meter="TRAINING_RUNS"]').textContent(), "0");
    await screenshot(page, "operator-usage");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the usage view");

    // The CSV is the API's own, for the same range and reason.
    const [csvRequest, download] = await Promise.all([
      page.waitForRequest((r) => new URL(r.url()).pathname === "/operator/billing/usage.csv"),
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    const csvUrl = new URL(csvRequest.url());
    assert.equal(csvUrl.searchParams.get("reason"), usageReason);
    const expected = await fetch(new URL(`${csvUrl.pathname}${csvUrl.search}`, api.url), {
      headers: { authorization: `Bearer ${finance.token}` },
    });
    assert.equal(expected.status, 200);
    const saved = await download.path();
    assert.equal(await readFile(saved, "utf8"), await expected.text());
    assert.match(download.suggestedFilename(), /^usage_all-tenants_.*_day\.csv$/);
    const { operatorUsage } = await gqlOk(
      api,
      OperatorUsageDocument,
      {
        reason: "test: compare with the page",
        from: csvUrl.searchParams.get("from") ?? "",
        to: csvUrl.searchParams.get("to") ?? "",
        granularity: "DAY",
      },
      finance.token,
    );
    const ours = operatorUsage.filter((u) => u.tenantId === paid.tenantId);
    assert.equal(
      ours.reduce((sum, u) => sum + (u.meter === "POINTS_INGESTED" ? u.quantity : 0), 0),
      12_345,
    );

    // The reconciliation with Stripe: the customer's usage is not reported yet (no sync ran).
    await nav.getByRole("link", { name: "Reconciliation" }).click();
    await page.getByRole("heading", { name: "Reconciliation with Stripe", level: 1 }).waitFor();
    await giveReason(page, "Month-end close: meter reports");
    const reconciled = page.locator(`tr[data-tenant-id="${paid.tenantId}"][data-meter="PREDICTIONS"]`);
    await reconciled.waitFor();
    assert.match((await reconciled.textContent()) ?? "", /Operator Billing KG.*Predictions.*7.*7.*0.*0.*0.*Not reported yet/);
    await screenshot(page, "operator-reconciliation");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the reconciliation");

    // The customers: finance opens the invoice preview, which asks for its own reason.
    await nav.getByRole("link", { name: "Customers" }).click();
    await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
    await giveReason(page, "Invoice question from a customer");
    const firstLink = page.locator("tr[data-tenant-id] a").first();
    assert.match((await firstLink.getAttribute("href")) ?? "", /^\/operator\/tenants\/[^/]+\/invoice$/);
    assert.equal(await page.getByRole("link", { name: /^Machines and alerts/ }).count(), 0, "finance sees no machines");

    await page.goto(`/operator/tenants/${paid.tenantId}/invoice`);
    await page.getByRole("heading", { name: "Invoice preview", level: 1 }).waitFor();
    const invoiceReason = "Ticket 88: customer disputes the running invoice";
    await giveReason(page, invoiceReason);
    const { invoicePreview } = await gqlOk(api, InvoicePreviewDocument, {}, paid.token);
    await page.getByTestId("invoice-total").waitFor();
    assert.equal(await page.getByTestId("invoice-total").textContent(), enMoney(invoicePreview.total, invoicePreview.currency));
    assert.match((await page.locator('tr[data-component="POINTS_INGESTED"]').textContent()) ?? "", /Points ingested.*12,345/);
    await page.getByRole("heading", { name: /Operator Billing KG/, level: 2 }).waitFor();
    await screenshot(page, "operator-invoice");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the invoice preview");
    const logged = await auditReasons(paid, "operator.billing_invoice_preview");
    assert.deepEqual(logged, [{ actor: finance.id, data: { reason: invoiceReason } }]);

    // The support inbox is not finance's: no link, the view says so without asking, and the API refuses.
    await page.goto("/operator/inbox");
    await page.getByText("This view is for support operators; you are signed in as Finance.").waitFor();
    assert.equal(await page.getByLabel("Why do you need this access?").count(), 0);
    const refused = await gql(api, SupportInboxDocument, { reason: "finance looking at alerts" }, finance.token);
    assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");

    assertClean(watch);
    await watch.context.close();
  });

  it("keeps members out of the console: a member's session opens no /operator page and the operator API refuses its token", async () => {
    const owner = await newTenant(api, "Operator Outsiders Ltd");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/sign-in");
    await signIn(watch, owner.ownerEmail);
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    const member = await portalSession(page);
    await page.goto("/operator/inbox");
    await page.getByRole("heading", { name: "Operator sign-in", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/operator/sign-in");
    const refused = await gql(api, SupportInboxDocument, { reason: "a member trying the console" }, member.token);
    assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
    // The member's own sign-in does not open the console either.
    await page.getByLabel("Email").fill(owner.ownerEmail);
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The email or the password is wrong.").waitFor();
    assert.equal(new URL(page.url()).pathname, "/operator/sign-in");
    assertClean(watch, [/status of 401/]);
    await watch.context.close();
  });

  it("speaks German in a German browser", async () => {
    const support = await newOperator(api, "support");
    const watch = await openPortalIn(browser, api.url, "de-DE");
    const { page } = watch;
    await page.goto("/operator/sign-in");
    await page.getByRole("heading", { name: "Anmeldung Betreiberkonsole", level: 1 }).waitFor();
    await signInOperator(page, support.email, { email: "E-Mail", password: "Passwort", submit: "Anmelden" });
    await page.getByRole("heading", { name: "Support-Eingang", level: 1 }).waitFor();
    await page.getByLabel("Wozu benötigen Sie diesen Zugriff?").waitFor();
    await page.getByRole("navigation", { name: "Betreiberkonsole" }).getByRole("link", { name: "Kunden" }).waitFor();
    await giveReason(page, "Ticket 4713: Rückfrage zu Alarmen", { field: "Wozu benötigen Sie diesen Zugriff?", submit: "Anzeigen" });
    await page.getByText("Protokolliert mit Ihrem Grund: „Ticket 4713: Rückfrage zu Alarmen“").waitFor();
    await page.locator("tr[data-alert-id], p.empty").first().waitFor();
    await screenshot(page, "operator-de");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the German inbox");
    assertClean(watch);
    await watch.context.close();
  });
});
