import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { applyRulRule } from "../src/alerts/raise.js";
import { workflowCall } from "../src/core/calls.js";
import { newId } from "../src/core/ids.js";
import {
  MaintenanceEventsDocument,
  RecordMaintenanceEventDocument,
  SetAlertRuleDocument,
  UpdateMemberRoleDocument,
} from "./generated/graphql.js";
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
import { type Api, addMember, gqlOk, newFleet, newTenant, startApi, type TestTenant } from "./support/harness.js";

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

const KINDS = ["FAILURE", "REPAIR", "INSPECTION"] as const;
const NOTES = [
  "High-pressure compressor stall; engine shut down.",
  "Replaced the fuel pump and two seals.",
  "Borescope inspection of the turbine blades: no findings.",
];

/** A company with three engines; `events` maintenance events recorded through the API, one an hour from 2026-01-01, alternating engines 1 and 2. */
async function companyWithLog(name: string, events: number) {
  const owner = await newTenant(api, name);
  const fleet = await newFleet(api, owner, { assets: 3, sensors: ["s1"] });
  const asset = (i: number) => fleet.assets[i]?.id ?? "";
  for (let i = 0; i < events; i++) {
    await gqlOk(
      api,
      RecordMaintenanceEventDocument,
      {
        input: {
          assetId: asset(i % 2),
          kind: KINDS[i % 3] ?? "REPAIR",
          occurredAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(),
          note: `${NOTES[i % 3]} (#${i})`,
        },
      },
      owner.token,
    );
  }
  return { owner, fleet, asset };
}

/** The event ids the API lists, newest first. */
async function apiOrder(t: TestTenant, variables: { assetId?: string; kinds?: ("FAILURE" | "REPAIR" | "INSPECTION")[] } = {}) {
  const { maintenanceEvents } = await gqlOk(api, MaintenanceEventsDocument, { first: 100, ...variables }, t.token);
  return maintenanceEvents.edges.map((e) => e.node);
}

const rowIds = (page: Page) => page.locator("tr[data-event-id]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-event-id")));

/** Signed in on `path`, with the shell's navigation shown (the role is known, so controls that depend on it are settled). */
async function openAs(watch: PageWatch, email: string, path: string) {
  await watch.page.goto(path);
  await signIn(watch, email);
  await watch.page.getByRole("navigation", { name: "Main" }).getByRole("link").first().waitFor();
}

describe("the maintenance log", () => {
  it("an engineer records an event typed in Tokyo time; missing fields and the API's refusal of a field show next to it", async () => {
    const { owner, asset } = await companyWithLog("Record Works", 0);
    const engineer = await addMember(api, owner, "ENGINEER");
    const watch = await openPortal(browser, api.url, { timezoneId: "Asia/Tokyo" });
    const { page } = watch;
    await openAs(watch, engineer.email, "/maintenance");
    await page.getByText("No maintenance recorded yet").waitFor();
    await page.getByRole("button", { name: "Record an event" }).click();
    const form = page.getByRole("form", { name: "Record an event" });

    await form.getByRole("button", { name: "Record event" }).click();
    await form.getByText("Choose the asset it happened to.").waitFor();
    await form.getByText("Choose what happened").waitFor();
    assert.equal(await form.getByLabel("Asset").getAttribute("aria-invalid"), "true");

    await form.getByLabel("Asset").selectOption(asset(1));
    await form.getByLabel("Repair").check();
    await form.getByLabel("When (Asia/Tokyo)").fill("2999-01-01T00:00");
    await form.getByRole("button", { name: "Record event" }).click();
    await form.getByText("The time is in the future").waitFor();

    // Before 1970: the form lets it through, the API refuses the field, and its message shows next to it.
    await form.getByLabel("When (Asia/Tokyo)").fill("1960-01-01T10:00");
    await form.getByRole("button", { name: "Record event" }).click();
    await form.getByText('"occurredAt" must be a time between 1970 and now').waitFor();
    assert.equal(await form.getByLabel("When (Asia/Tokyo)").getAttribute("aria-invalid"), "true");
    assert.equal(await page.getByRole("alert").count(), 0, "a field's refusal is not a page error");
    await screenshot(page, "maintenance-record");

    await form.getByLabel("When (Asia/Tokyo)").fill("2026-03-01T09:30");
    await form.getByLabel("Note").fill("Replaced the bearing on the low-pressure shaft.");
    await form.getByRole("button", { name: "Record event" }).click();
    await form.getByText(/Recorded: Repair of Engine 2/).waitFor();
    await page.locator("tr[data-event-id]").first().waitFor();

    const [stored] = await apiOrder(owner);
    assert.equal(stored?.occurredAt, "2026-03-01T00:30:00.000Z", "09:30 in Tokyo is 00:30 UTC");
    assert.equal(stored?.assetId, asset(1));
    assert.equal(stored?.recordedByName, "ENGINEER person");
    const row = page.locator(`tr[data-event-id="${stored?.id}"]`);
    assert.match((await row.textContent()) ?? "", /Repair.*Engine 2.*Replaced the bearing.*ENGINEER person/);
    assert.match((await row.locator("time").textContent()) ?? "", /9:30|09:30/, "shown in the browser's zone");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the maintenance page with the form");
    assertClean(watch, [/status of 400/]);
    await watch.context.close();
  });

  it("an engineer whose role changed meanwhile sees the API's refusal with its request id", async () => {
    const { owner, asset } = await companyWithLog("Refusal Works", 1);
    const engineer = await addMember(api, owner, "ENGINEER");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, engineer.email, "/maintenance");
    await page.getByRole("button", { name: "Record an event" }).click();
    const form = page.getByRole("form", { name: "Record an event" });
    await form.waitFor();
    await gqlOk(api, UpdateMemberRoleDocument, { userId: engineer.userId, role: "VIEWER" }, owner.token);
    await form.getByLabel("Asset").selectOption(asset(0));
    await form.getByLabel("Inspection").check();
    await form.getByRole("button", { name: "Record event" }).click();
    const refusal = form.getByRole("alert");
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? "";
    assert.match(text, /Could not record the event/);
    assert.match(text, /assets:write/);
    assert.match(text, /Request id: req_[0-9a-f]+/);
    assertClean(watch, [/status of 403/]);
    await watch.context.close();
  });

  it("lists 25 events newest first then the rest, filters by kind and asset in the address, and each asset has its own log", async () => {
    const { owner, asset } = await companyWithLog("Paging Works", 30);
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, "/maintenance");
    await page.locator("tr[data-event-id]").first().waitFor();
    const all = await apiOrder(owner);
    assert.equal(all.length, 30);
    assert.deepEqual(
      await rowIds(page),
      all.slice(0, 25).map((e) => e.id),
      "the first 25, newest first",
    );
    assert.equal(all[0]?.occurredAt, "2026-01-02T05:00:00.000Z", "the newest on top");
    await screenshot(page, "maintenance");
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText("30 events shown, all of them").waitFor();
    assert.deepEqual(
      await rowIds(page),
      all.map((e) => e.id),
    );

    const filters = page.getByRole("form", { name: "Filters" });
    await filters.getByLabel("Kind").selectOption("FAILURE");
    await page.waitForURL(/kind=FAILURE/);
    await page.getByText("10 events shown, all of them").waitFor();
    assert.deepEqual(
      await rowIds(page),
      (await apiOrder(owner, { kinds: ["FAILURE"] })).map((e) => e.id),
    );
    await filters.getByLabel("Asset").selectOption(asset(0));
    await page.waitForURL(new RegExp(`asset=${asset(0)}`));
    const failuresOfEngine1 = await apiOrder(owner, { kinds: ["FAILURE"], assetId: asset(0) });
    await page.getByText(`${failuresOfEngine1.length} events shown, all of them`).waitFor();
    assert.deepEqual(
      await rowIds(page),
      failuresOfEngine1.map((e) => e.id),
    );
    await page.getByRole("button", { name: "Record an event" }).click();
    const recordForm = page.getByRole("form", { name: "Record an event" });
    assert.equal(await recordForm.getByLabel("Asset").inputValue(), asset(0), "the form starts on the filtered asset");
    await page.getByRole("button", { name: "Close the form" }).click();
    // A link names the filters: engine 3 has no events.
    await page.goto(`/maintenance?kind=INSPECTION&asset=${asset(2)}`);
    await page.getByText("No events match these filters").waitFor();

    // The asset page links to the asset's own log: its events only, no asset column, the form's asset fixed.
    await page.goto(`/assets/${asset(0)}`);
    await page.getByRole("link", { name: "Maintenance log" }).click();
    await page.getByRole("heading", { name: "Maintenance log: Engine 1" }).waitFor();
    await page.locator("tr[data-event-id]").first().waitFor();
    const ofEngine1 = await apiOrder(owner, { assetId: asset(0) });
    assert.equal(ofEngine1.length, 15);
    assert.deepEqual(
      await rowIds(page),
      ofEngine1.map((e) => e.id),
    );
    assert.equal(await page.getByRole("columnheader", { name: "Asset" }).count(), 0);
    await page.getByRole("button", { name: "Record an event" }).click();
    const form = page.getByRole("form", { name: "Record an event" });
    await form.getByLabel("Failure").check();
    await form.getByRole("button", { name: "Record event" }).click();
    await form.getByText(/Recorded: Failure of Engine 1/).waitFor();
    await page.getByText("16 events shown, all of them").waitFor();
    await page.getByRole("button", { name: "Close the form" }).click();
    await screenshot(page, "asset-maintenance");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on an asset's maintenance log");
    assertClean(watch);
    await watch.context.close();
  });

  it("another company typing an asset's maintenance address, and an unknown id, see Asset not found", async () => {
    const { asset } = await companyWithLog("Private Works", 2);
    const other = await newTenant(api, "Curious Works");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto(`/assets/${asset(0)}/maintenance`);
    await signIn(watch, other.ownerEmail);
    await page.getByRole("heading", { name: "Asset not found" }).waitFor();
    assert.equal(await page.getByText("Engine 1").count(), 0);
    assert.equal(await page.getByText("(#0)").count(), 0);
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the asset-not-found page");
    await page.goto(`/assets/${randomUUID()}/maintenance`);
    await page.getByRole("heading", { name: "Asset not found" }).waitFor();
    await screenshot(page, "asset-maintenance-not-found");
    await page.goto("/no-such-page");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the page-not-found page");
    assertClean(watch, [/status of (400|404)/]);
    await watch.context.close();
  });

  it("a viewer walks every page and finds no control that writes; the owner finds them on the same pages", async () => {
    const { owner, fleet, asset } = await companyWithLog("Viewer Works", 3);
    await gqlOk(api, SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 60, anomaly: true } }, owner.token);
    await workflowCall(api.services, { tenantId: owner.tenantId, workflowId: "wf_portal_viewer" }, (ctx) =>
      applyRulRule(ctx, {
        assetTypeId: fleet.typeId,
        scores: [{ assetId: asset(0), predictionId: newId("prediction"), rul: 20, low: 15, high: 25, modelVersionId: "mdv_test" }],
      }),
    );
    const viewer = await addMember(api, owner, "VIEWER");
    const pages: { path: string; ready: (page: Page) => Promise<void> }[] = [
      { path: "/fleet", ready: (p) => p.getByRole("link", { name: "Engine 1" }).waitFor() },
      { path: `/assets/${asset(0)}`, ready: (p) => p.getByRole("heading", { name: "Latest values" }).waitFor() },
      { path: `/assets/${asset(0)}/maintenance`, ready: (p) => p.locator("tr[data-event-id]").first().waitFor() },
      { path: "/alerts", ready: (p) => p.locator("tr[data-alert-id]").first().waitFor() },
      { path: "/maintenance", ready: (p) => p.locator("tr[data-event-id]").first().waitFor() },
    ];

    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/");
    await signIn(watch, viewer.email);
    await page.waitForURL(/\/fleet$/);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.getByRole("link", { name: "Maintenance" }).waitFor();
    for (const { path, ready } of pages) {
      await page.goto(path);
      await nav.getByRole("link", { name: "Maintenance" }).waitFor();
      await ready(page);
      assert.deepEqual(await writeControls(page), [], `write controls a viewer sees on ${path}`);
      assert.deepEqual(await axeViolations(page), [], `accessibility violations on ${path} as a viewer`);
    }
    assertClean(watch);
    await watch.context.close();

    const ownerWatch = await openPortal(browser, api.url);
    await ownerWatch.page.goto("/");
    await signIn(ownerWatch, owner.ownerEmail);
    await ownerWatch.page.waitForURL(/\/fleet$/);
    const ownerNav = ownerWatch.page.getByRole("navigation", { name: "Main" });
    const seen: Record<string, string[]> = {};
    for (const { path, ready } of pages) {
      await ownerWatch.page.goto(path);
      await ownerNav.getByRole("link", { name: "Maintenance" }).waitFor();
      await ready(ownerWatch.page);
      if (path.includes("maintenance")) await ownerWatch.page.getByRole("button", { name: "Record an event" }).waitFor();
      seen[path] = await writeControls(ownerWatch.page);
    }
    assert.ok(
      seen["/alerts"]?.some((c) => /Acknowledge/.test(c)),
      JSON.stringify(seen),
    );
    assert.ok(
      seen["/maintenance"]?.some((c) => /Record an event/.test(c)),
      JSON.stringify(seen),
    );
    assert.ok(
      seen[`/assets/${asset(0)}/maintenance`]?.some((c) => /Record an event/.test(c)),
      JSON.stringify(seen),
    );
    assertClean(ownerWatch);
    await ownerWatch.context.close();
  });

  it("the finance role lands on its page with no maintenance link; the log's address shows the API's refusal", async () => {
    const { owner } = await companyWithLog("Finance Works", 1);
    const finance = await addMember(api, owner, "FINANCE");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/");
    await signIn(watch, finance.email);
    await page.getByRole("heading", { name: "Your access: finance" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/finance");
    assert.equal(await page.getByRole("link", { name: "Maintenance" }).count(), 0);
    assert.deepEqual(await writeControls(page), []);
    await page.goto("/maintenance");
    const refusal = page.getByRole("alert").first();
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? "";
    assert.match(text, /Could not load the maintenance log/);
    assert.match(text, /Request id: req_[0-9a-f]+/);
    assert.equal(await page.getByRole("form", { name: "Record an event" }).count(), 0);
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the maintenance page's error state");
    assertClean(watch, [/status of 403/]);
    await watch.context.close();
  });
});
