import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { applyAnomalyRule, applyRulRule } from "../src/alerts/raise.js";
import { workflowCall } from "../src/core/calls.js";
import { newId } from "../src/core/ids.js";
import { SetAlertRuleDocument, SignOutDocument, UpdateMemberRoleDocument } from "./generated/graphql.js";
import {
  assertClean,
  axeViolations,
  launchChromium,
  openPortal,
  type PageWatch,
  portalSession,
  screenshot,
  signIn,
} from "./support/browser.js";
import { type Api, addMember, gqlOk, newFleet, newTenant, startApi, type TestTenant } from "./support/harness.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;

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

/** The inbox open and listening: the list loaded after the subscription connected. */
async function openInbox(watch: PageWatch, email: string, path = "/alerts") {
  await watch.page.goto(path);
  await signIn(watch, email);
  await watch.page.getByRole("heading", { name: "Alerts", level: 1 }).waitFor();
  await watch.page.locator('[data-live="live"]').waitFor();
}

/** The alert ids of the rows, top to bottom. */
const rowIds = async (page: Page) =>
  page.locator("tr[data-alert-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-alert-id")));
const row = (page: Page, id: string) => page.locator(`tr[data-alert-id="${id}"]`);

/** Raises alerts as a scoring run does: remaining life `value` on the assets (below the rule's 60 raises, at or above resolves). */
const rul = (t: TestTenant, f: Fleet, assetIds: readonly string[], value: number) =>
  workflowCall(api.services, { tenantId: t.tenantId, workflowId: "wf_portal_alerts" }, (ctx) =>
    applyRulRule(ctx, {
      assetTypeId: f.typeId,
      scores: assetIds.map((assetId) => ({
        assetId,
        predictionId: newId("prediction"),
        rul: value,
        low: value - 5,
        high: value + 5,
        modelVersionId: "mdv_test",
      })),
    }),
  );
const anomaly = (t: TestTenant, f: Fleet, assetId: string) =>
  workflowCall(api.services, { tenantId: t.tenantId, workflowId: "wf_portal_alerts" }, (ctx) =>
    applyAnomalyRule(ctx, {
      assetTypeId: f.typeId,
      scores: [{ assetId, predictionId: newId("prediction"), score: 9, threshold: 4, alarm: true, topSensors: [] }],
    }),
  );

async function alertingFleet(name: string, assets: number) {
  const owner = await newTenant(api, name);
  const fleet = await newFleet(api, owner, { assets, sensors: ["s1"] });
  await gqlOk(api, SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 60, anomaly: true } }, owner.token);
  const asset = (i: number) => fleet.assets[i]?.id ?? "";
  return { owner, fleet, asset };
}

describe("the alerts inbox", () => {
  it("shows a new alert live in two members' pages; the owner acknowledges, the viewer's open page shows it at once and has no controls", async () => {
    const { owner, fleet, asset } = await alertingFleet("Inbox Turbines", 3);
    const viewer = await addMember(api, owner, "VIEWER");
    const [first] = await rul(owner, fleet, [asset(0)], 10);
    const [second] = await anomaly(owner, fleet, asset(1));
    assert.ok(first && second);

    const ownerWatch = await openPortal(browser, api.url);
    const viewerWatch = await openPortal(browser, api.url);
    await openInbox(ownerWatch, owner.ownerEmail);
    await openInbox(viewerWatch, viewer.email);
    // The viewer's page asking for its list again from here on: the acknowledgement must reach it without that.
    const viewerListFetches: string[] = [];
    viewerWatch.page.on("request", (request) => {
      const body = request.postData() ?? "";
      if (new URL(request.url()).pathname === "/graphql" && body.includes("PortalAlerts")) viewerListFetches.push(body);
    });
    const { page } = ownerWatch;
    const seen = viewerWatch.page;
    assert.ok(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).isVisible());
    assert.deepEqual(await rowIds(page), [second, first], "newest first");
    assert.deepEqual(await rowIds(seen), [second, first]);

    // A viewer reads alerts but may not acknowledge them: no checkbox, no button.
    assert.equal(await seen.getByRole("checkbox").count(), 0);
    assert.equal(await seen.getByRole("button", { name: /Acknowledge/ }).count(), 0);
    assert.ok(await page.getByRole("button", { name: "Acknowledge selected" }).isDisabled(), "nothing chosen yet");

    // Raised through the service while both pages are open: it appears on top of each, pushed, without a reload.
    const [raised] = await rul(owner, fleet, [asset(2)], 5);
    assert.ok(raised);
    for (const p of [page, seen]) {
      await row(p, raised).waitFor();
      assert.equal(await row(p, raised).getAttribute("data-arrived"), "live", "pushed by alertRaised, not fetched");
      assert.deepEqual(await rowIds(p), [raised, second, first]);
      assert.match((await row(p, raised).textContent()) ?? "", /Engine 3.*engine_3.*Remaining life low.*5 cycles left.*Open/);
    }

    // The owner acknowledges two at once.
    await page.getByRole("checkbox", { name: /Select the alert on Engine 3/ }).check();
    await page.getByRole("checkbox", { name: /Select the alert on Engine 1/ }).check();
    await page.getByRole("button", { name: "Acknowledge selected (2)" }).click();
    await row(page, raised).and(page.locator('[data-status="ACKNOWLEDGED"]')).waitFor();
    await row(page, first).and(page.locator('[data-status="ACKNOWLEDGED"]')).waitFor();
    assert.equal(await row(page, second).getAttribute("data-status"), "OPEN");
    assert.match((await row(page, raised).textContent()) ?? "", /Acknowledged by Olivia Owner/);
    assert.equal(await page.getByRole("checkbox", { name: /Select the alert on Engine 3/ }).count(), 0, "no checkbox once acknowledged");
    await screenshot(page, "alerts");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the owner's inbox");

    // The viewer's open page shows it acknowledged without asking again (no Refresh): pushed by alertChanged.
    await row(seen, raised).and(seen.locator('[data-status="ACKNOWLEDGED"]')).waitFor();
    assert.deepEqual(viewerListFetches, [], "the viewer's page did not fetch its list again");
    assert.equal(await row(seen, first).getAttribute("data-status"), "ACKNOWLEDGED");
    assert.match((await row(seen, first).textContent()) ?? "", /Acknowledged by Olivia Owner/);
    assert.deepEqual(await axeViolations(seen), [], "accessibility violations on the viewer's inbox");

    // Each row leads to its asset.
    await seen.getByRole("link", { name: "Engine 3" }).click();
    await seen.getByRole("heading", { name: "Engine 3", level: 1 }).waitFor();
    assert.equal(new URL(seen.url()).pathname, `/assets/${asset(2)}`);

    assertClean(ownerWatch);
    assertClean(viewerWatch);
    await ownerWatch.context.close();
    await viewerWatch.context.close();
  });

  it("filters by status, kind and asset in the address, loads more, and shows the empty state", async () => {
    // Five assets (the free plan's most), six episodes each: 30 remaining-life alerts, the last round still open.
    const { owner, fleet, asset } = await alertingFleet("Inbox Presses", 5);
    const all = fleet.assets.map((a) => a.id);
    for (let round = 0; round < 6; round++) {
      if (round > 0) await rul(owner, fleet, all, 100);
      await rul(owner, fleet, all, 10);
    }
    const [anomalous] = await anomaly(owner, fleet, asset(0));
    assert.ok(anomalous);
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openInbox(watch, owner.ownerEmail, "/alerts?status=bogus&kind=BOGUS");
    assert.equal(await page.getByLabel("Status").inputValue(), "", "an unknown status is ignored: all statuses");
    assert.equal(await page.getByLabel("Kind").inputValue(), "", "an unknown kind is ignored: all kinds");
    assert.equal((await rowIds(page)).length, 25, "the first page");
    await page.getByText("25 alerts shown").waitFor();
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText("31 alerts shown, all of them").waitFor();
    assert.equal(await page.getByRole("button", { name: "Load more" }).count(), 0);
    const ids = await rowIds(page);
    assert.equal(new Set(ids).size, 31);
    assert.deepEqual(ids, [...ids].sort().reverse(), "newest first over both pages");

    await page.getByLabel("Kind").selectOption({ label: "Anomaly" });
    await page.waitForURL(/kind=ANOMALY/);
    await page.locator("tr[data-alert-id]").first().waitFor();
    assert.deepEqual(await rowIds(page), [anomalous]);

    await page.getByLabel("Status").selectOption({ label: "Resolved" });
    await page.getByText("No alerts match these filters").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("status"), "resolved");
    await page.getByLabel("Kind").selectOption({ label: "All kinds" });
    await page.getByText("25 alerts shown, all of them").waitFor();
    assert.deepEqual(
      new Set(await page.locator("tr[data-alert-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")))),
      new Set(["RESOLVED"]),
    );

    await page.goto(`/alerts?asset=${asset(0)}&status=unresolved`);
    await page.locator("tr[data-alert-id]").nth(1).waitFor();
    assert.equal((await rowIds(page)).length, 2, "engine 1's two alerts");
    assert.equal(await page.getByLabel("Asset").inputValue(), asset(0));
    assertClean(watch);
    await watch.context.close();
  });

  it("shows a refused acknowledgement with the API's message and request id, and a closed socket ends the session", async () => {
    const { owner, fleet, asset } = await alertingFleet("Inbox Mills", 1);
    const engineer = await addMember(api, owner, "ENGINEER");
    const [alert] = await rul(owner, fleet, [asset(0)], 10);
    assert.ok(alert);
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openInbox(watch, engineer.email);
    // The role changes behind the page's back: the controls are still on screen, the API refuses.
    await gqlOk(api, UpdateMemberRoleDocument, { userId: engineer.userId, role: "VIEWER" }, owner.token);
    await page.getByRole("button", { name: "Acknowledge the alert on Engine 1" }).click();
    const notice = page.getByRole("alert").filter({ hasText: "Could not acknowledge" });
    await notice.waitFor();
    const text = (await notice.textContent()) ?? "";
    assert.match(text, /models:write/, "the API's own message");
    assert.match(text, /Request id: req_[0-9a-f]+/);
    assert.equal(await row(page, alert).getAttribute("data-status"), "OPEN");

    // Signed out elsewhere: the server closes the socket with 4401 and the page ends the session without a request of its own.
    await gqlOk(api, SignOutDocument, {}, (await portalSession(page)).token);
    await page.getByText("Your session has ended").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("redirect"), "/alerts");
    assertClean(watch, [/status of 403/]);
    await watch.context.close();
  });

  it("a role without access to alerts has no Alerts link and sees the API's refusal with its request id", async () => {
    const { owner } = await alertingFleet("Inbox Ledgers", 1);
    const finance = await addMember(api, owner, "FINANCE");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/alerts");
    await signIn(watch, finance.email);
    const notice = page.getByRole("alert").filter({ hasText: "Could not load the alerts" });
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? "", /models:read.*Request id: req_[0-9a-f]+/);
    assert.equal(await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).count(), 0);
    assert.equal(await page.locator("[data-live]").count(), 0, "no subscription without the scope");
    assertClean(watch, [/status of 403/]);
    await watch.context.close();
  });
});
