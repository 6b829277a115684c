import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { alertRules, alerts } from "../src/alerts/schema.js";
import { assets } from "../src/assets/schema.js";
import { newId } from "../src/core/ids.js";
import { assetPredictions } from "../src/mlops/schema.js";
import { assetActivity } from "../src/telemetry/schema.js";
import { CreateAssetDocument, CreateAssetTypeDocument } from "./generated/graphql.js";
import { assertClean, axeViolations, launchChromium, openPortal, type PageWatch, screenshot, signIn } from "./support/browser.js";
import { type Api, gqlOk, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { asOwner, registerTestVersion } from "./support/models.js";

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

// The test compiles without the DOM's types, so the shapes it reads are spelled out.
type Cell = { textContent: string | null; getAttribute(name: string): string | null };
type RowElement = { getAttribute(name: string): string | null; querySelector(selector: string): Cell | null };

interface ShownRow {
  name: string;
  path: string;
  externalId: string;
  type: string;
  health: string;
  life: string;
  seen: string;
  seenTitle: string | null;
  points: string;
  alert: string;
}

/** The rows the fleet table holds in the DOM, top to bottom. */
async function shownRows(page: Page): Promise<ShownRow[]> {
  return page.locator("tbody tr[data-asset-id]").evaluateAll((rows: RowElement[]) =>
    rows.map((row) => {
      const text = (col: string) => row.querySelector(`[data-col=${col}]`)?.textContent?.trim() ?? "";
      return {
        name: row.querySelector("[data-col=name] .asset-name")?.textContent ?? "",
        path: row.querySelector("[data-col=name] .path")?.textContent ?? "",
        externalId: text("external-id"),
        type: text("type"),
        health: text("health"),
        life: text("life"),
        seen: text("seen"),
        seenTitle: row.querySelector("[data-col=seen] time")?.getAttribute("title") ?? null,
        points: text("points"),
        alert: text("alert"),
      };
    }),
  );
}

/** The names shown once the list settles on `expected` (the list reloads after each change of the address). */
async function waitForNames(page: Page, expected: readonly string[]): Promise<void> {
  const want = JSON.stringify(expected);
  await page
    .waitForFunction(
      (w: string) => {
        const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } })
          .document;
        return JSON.stringify(Array.from(doc.querySelectorAll("tbody tr[data-asset-id] .asset-name"), (a) => a.textContent)) === w;
      },
      want,
      { timeout: 10_000 },
    )
    .catch(async () => {
      assert.deepEqual(
        (await shownRows(page)).map((r) => r.name),
        expected,
      );
    });
}

const params = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams);

describe("the fleet page", () => {
  let owner: TestTenant;
  const id: Record<string, string> = {};
  const type: Record<string, string> = {};
  let seenAt: Date;

  before(async () => {
    owner = await newTenant(api, "Fleet Presses");
    for (const [key, name] of [
      ["site", "Site"],
      ["press", "Press"],
      ["bearing", "Bearing"],
    ] as const) {
      const { createAssetType } = await gqlOk(
        api,
        CreateAssetTypeDocument,
        { input: { key, name, sensors: [{ key: "s1", unit: "" }] } },
        owner.token,
      );
      type[key] = createAssetType.id;
    }
    const create = async (key: string, typeKey: string, externalId: string, name: string, parent?: string) => {
      const { createAsset } = await gqlOk(
        api,
        CreateAssetDocument,
        { input: { assetTypeId: type[typeKey] ?? "", externalId, name, ...(parent ? { parentId: id[parent] } : {}) } },
        owner.token,
      );
      id[key] = createAsset.id;
    };
    await create("site", "site", "site-north", "Plant North");
    await create("m1", "press", "p-1", "Press 1", "site");
    await create("m2", "press", "p-2", "Press 2", "site");
    await create("c1", "bearing", "b-1", "Main bearing", "m2");
    await create("c2", "bearing", "b-2", "Drive bearing", "m1");

    const {
      version: { id: versionId },
    } = await registerTestVersion(api, owner, { assetTypeId: type.press ?? "", runId: newId("trainingRun"), rmse: 10 });
    seenAt = new Date(Date.now() - 5 * 60_000);
    await asOwner(api, owner, async (ctx) => {
      const predict = (key: string, rul: number, low: number, high: number) =>
        ctx.tx.insert(assetPredictions).values({
          tenantId: owner.tenantId,
          id: newId("prediction"),
          assetId: id[key] ?? "",
          task: "rul",
          modelVersionId: versionId,
          dataTime: new Date(),
          rul,
          rulLow: low,
          rulHigh: high,
          source: "online",
        });
      await predict("m1", 80, 70, 90);
      await predict("m2", 20, 10, 30);
      await predict("c1", 45, 25, 60);
      for (const [key, kind] of [
        ["m2", "rul_low"],
        ["c2", "anomaly"],
      ] as const) {
        await ctx.tx.insert(alerts).values({
          tenantId: owner.tenantId,
          id: newId("alert"),
          assetId: id[key] ?? "",
          kind,
          status: "open",
          value: 1,
          threshold: 30,
          predictionId: newId("prediction"),
          explanation: { summary: "seeded" },
        });
      }
      for (const t of ["press", "bearing"]) {
        await ctx.tx.insert(alertRules).values({ tenantId: owner.tenantId, assetTypeId: type[t] ?? "", rulBelow: 30 });
      }
      const hour = new Date(Math.floor(seenAt.getTime() / 3_600_000) * 3_600_000);
      await ctx.tx.insert(assetActivity).values({ tenantId: owner.tenantId, assetId: id.m1 ?? "", hour, points: 1234, lastSeenAt: seenAt });
    });
  });

  /** Lowest remaining life first, then the never-scored assets by id (created in this order). */
  const DEFAULT_ORDER = ["Press 2", "Main bearing", "Press 1", "Plant North", "Drive bearing"];

  it("lists every asset with its place in the tree, health, remaining life, delivery and worst alert, lowest remaining life first", async () => {
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/fleet");
    await signIn(watch, owner.ownerEmail);
    await waitForNames(page, DEFAULT_ORDER);
    await page.getByText("5 assets", { exact: true }).waitFor();
    await page.locator(`tr[data-asset-id="${id.m2}"] [data-col=type]`).getByText("Press", { exact: true }).waitFor();

    const rows = await shownRows(page);
    const press2 = rows.find((r) => r.name === "Press 2");
    assert.deepEqual(press2 && [press2.path, press2.externalId, press2.type, press2.health, press2.life, press2.alert], [
      "in Plant North",
      "p-2",
      "Press",
      "■ Critical",
      "20 cycles10–30",
      "Remaining life low",
    ]);
    const bearing = rows.find((r) => r.name === "Main bearing");
    assert.deepEqual(bearing && [bearing.path, bearing.type, bearing.health, bearing.alert], [
      "in Plant North › Press 2",
      "Bearing",
      "▲ Watch",
      "None",
    ]);
    const press1 = rows.find((r) => r.name === "Press 1");
    assert.deepEqual(press1 && [press1.health, press1.seen, press1.points], ["● OK", "5 minutes ago", "1,234"]);
    assert.ok(press1?.seenTitle?.includes(seenAt.toISOString()), `the exact time in the title: ${press1?.seenTitle}`);
    const site = rows.find((r) => r.name === "Plant North");
    assert.deepEqual(site && [site.path, site.health, site.life, site.seen], ["Top level", "○ Unknown", "Not scored", "Never"]);
    assert.equal(rows.find((r) => r.name === "Drive bearing")?.alert, "Anomaly");

    // Health is a word with a shape, not a colour alone; the table states its size and each row's place.
    assert.equal(await page.locator("[data-col=health] .health-symbol").first().getAttribute("aria-hidden"), "true");
    assert.equal(await page.getByRole("table").getAttribute("aria-rowcount"), "6");
    assert.deepEqual(
      await page.locator("tbody tr[data-asset-id]").evaluateAll((r: RowElement[]) => r.map((x) => x.getAttribute("aria-rowindex"))),
      ["2", "3", "4", "5", "6"],
    );
    assert.equal(await page.getByRole("columnheader", { name: "Remaining life" }).getAttribute("aria-sort"), "ascending");
    await screenshot(page, "fleet");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the fleet page");

    // The worst alert links to the asset's unresolved alerts; the name to the asset.
    assert.equal(
      await page.locator(`tr[data-asset-id="${id.m2}"] [data-col=alert] a`).getAttribute("href"),
      `/alerts?asset=${id.m2}&status=unresolved`,
    );
    await page.getByRole("link", { name: "Press 2", exact: true }).click();
    await page.getByRole("heading", { name: "Press 2", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/assets/${id.m2}`);
    assertClean(watch);
    await watch.context.close();
  });

  it("searches, filters by health and type, and keeps the view in the address over a reload", async () => {
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/fleet");
    await signIn(watch, owner.ownerEmail);
    await waitForNames(page, DEFAULT_ORDER);

    // Search: typed, then sent once typing pauses; name or external id, any case.
    await page.getByLabel("Search name or external id").pressSequentially("BEARING");
    await waitForNames(page, ["Main bearing", "Drive bearing"]);
    assert.deepEqual(params(page), { q: "BEARING" });
    await page.getByText("2 assets match", { exact: true }).waitFor();
    await page.getByLabel("Search name or external id").fill("p-");
    await waitForNames(page, ["Press 2", "Press 1"]);
    await page.getByLabel("Search name or external id").fill("");
    await waitForNames(page, DEFAULT_ORDER);
    assert.deepEqual(params(page), {});

    await page.getByLabel("Health").selectOption({ label: "Critical" });
    await waitForNames(page, ["Press 2"]);
    assert.deepEqual(params(page), { health: "CRITICAL" });
    await page.getByLabel("Health").selectOption({ label: "Needs attention" });
    await waitForNames(page, ["Press 2", "Main bearing", "Drive bearing"]);

    await page.getByLabel("Type").selectOption({ label: "Bearing" });
    await waitForNames(page, ["Main bearing", "Drive bearing"]);
    await page.getByLabel("Order").selectOption({ label: "Name" });
    await waitForNames(page, ["Drive bearing", "Main bearing"]);
    assert.deepEqual(params(page), { health: "CRITICAL,WATCH", type: type.bearing, sort: "name" });

    await page.reload();
    await waitForNames(page, ["Drive bearing", "Main bearing"]);
    assert.equal(await page.getByLabel("Health").inputValue(), "CRITICAL,WATCH");
    assert.equal(await page.getByLabel("Type").inputValue(), type.bearing);
    assert.equal(await page.getByLabel("Order").inputValue(), "name");
    assert.equal(await page.getByRole("columnheader", { name: "Asset" }).getAttribute("aria-sort"), "ascending");

    // Nothing matches: its own empty state, with the way back.
    await page.getByLabel("Search name or external id").fill("no such asset");
    await page.getByText("No assets match these filters").waitFor();
    await screenshot(page, "fleet-no-match");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the empty result");
    await page.getByRole("link", { name: "Show the whole fleet" }).click();
    await waitForNames(page, ["Drive bearing", "Main bearing", "Plant North", "Press 1", "Press 2"]);
    assert.deepEqual(params(page), { sort: "name" });

    // Unknown values in the address are ignored: the default view.
    await page.goto("/fleet?sort=sideways&health=PURPLE&type=%3Cb%3E&q=");
    await waitForNames(page, DEFAULT_ORDER);
    assert.equal(await page.getByLabel("Order").inputValue(), "life");
    assert.equal(await page.getByLabel("Health").inputValue(), "");
    assert.equal(await page.getByLabel("Type").inputValue(), "");
    assertClean(watch);
    await watch.context.close();
  });

  it("walks the asset tree: a node's children with a breadcrumb back up", async () => {
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto("/fleet");
    await signIn(watch, owner.ownerEmail);
    await waitForNames(page, DEFAULT_ORDER);

    await page.getByRole("link", { name: "2 children of Plant North" }).click();
    await waitForNames(page, ["Press 2", "Press 1"]);
    await page.getByText("2 child assets", { exact: true }).waitFor();
    assert.deepEqual(params(page), { parent: id.site });
    const crumbs = page.getByRole("navigation", { name: "Place in the asset tree" });
    await crumbs.getByText("Plant North").waitFor();
    await page.getByRole("link", { name: "1 child of Press 2" }).click();
    await waitForNames(page, ["Main bearing"]);
    await crumbs.getByText("Press 2").waitFor();
    assert.equal(await crumbs.locator("[aria-current=location]").textContent(), "Press 2");
    await screenshot(page, "fleet-children");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on a children view");

    await page.reload();
    await waitForNames(page, ["Main bearing"]);
    await crumbs.getByRole("link", { name: "Plant North" }).click();
    await waitForNames(page, ["Press 2", "Press 1"]);
    await crumbs.getByRole("link", { name: "Whole fleet" }).click();
    await waitForNames(page, DEFAULT_ORDER);
    assert.deepEqual(params(page), {});

    // A leaf's children: none, said so.
    await page.goto(`/fleet?parent=${id.c1}`);
    await page.getByText("No child assets").waitFor();
    assertClean(watch);
    await watch.context.close();
  });
});

describe("the fleet page with many assets", () => {
  let owner: TestTenant;
  const COUNT = 350;

  before(async () => {
    owner = await newTenant(api, "Fleet Many");
    const { createAssetType } = await gqlOk(
      api,
      CreateAssetTypeDocument,
      { input: { key: "pump", name: "Pump", sensors: [{ key: "s1", unit: "" }] } },
      owner.token,
    );
    await asOwner(api, owner, (ctx) =>
      ctx.tx.insert(assets).values(
        Array.from({ length: COUNT }, (_, i) => ({
          tenantId: owner.tenantId,
          id: newId("asset"),
          assetTypeId: createAssetType.id,
          externalId: `pump-${String(i + 1).padStart(4, "0")}`,
          name: `Pump ${String(i + 1).padStart(4, "0")}`,
        })),
      ),
    );
  });

  /** How many rows the DOM holds, and the highest row index among them. */
  const domRows = (page: Page) =>
    page.locator("tbody tr[data-asset-id]").evaluateAll((rows: RowElement[]) => ({
      count: rows.length,
      last: Math.max(...rows.map((r) => Number(r.getAttribute("aria-rowindex")))),
    }));

  const loaded = async (page: Page) => Number(await page.locator("[data-loaded]").getAttribute("data-loaded"));

  it("renders only the rows near the view and loads the next page when scrolled near the end", async () => {
    const watch: PageWatch = await openPortal(browser, api.url);
    const { page } = watch;
    const fleetRequests: string[] = [];
    page.on("request", (r) => {
      const body = r.postData() ?? "";
      if (r.url().endsWith("/graphql") && body.includes("PortalFleetOverview")) fleetRequests.push(body);
    });
    await page.goto("/fleet?sort=name");
    await signIn(watch, owner.ownerEmail);
    await page.getByText(`${COUNT} assets`, { exact: true }).waitFor();
    assert.equal(await page.getByRole("table").getAttribute("aria-rowcount"), String(COUNT + 1));
    assert.equal(await loaded(page), 100, "one page of 100");
    assert.equal(fleetRequests.length, 1);
    const first = await domRows(page);
    assert.ok(first.count < 40, `${first.count} rows in the DOM at the top`);

    // Scrolling the box (as the keyboard does once it has focus) reaches the end of all the pages.
    // The box is next in the tab order after the filters.
    await page.getByLabel("Order").focus();
    await page.keyboard.press("Tab");
    assert.equal(
      await page.evaluate(() =>
        (globalThis as unknown as { document: { activeElement: Cell | null } }).document.activeElement?.getAttribute("aria-label"),
      ),
      "Assets, scrollable",
    );
    for (let round = 0; round < 10; round++) {
      const before = await loaded(page);
      if (before >= COUNT) break;
      await page.keyboard.press("End");
      // The next page arrives and is appended: the loaded count grows.
      await page.waitForFunction(
        (n: number) =>
          Number(
            (
              globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }
            ).document
              .querySelector("[data-loaded]")
              ?.getAttribute("data-loaded"),
          ) > n,
        before,
        { timeout: 10_000 },
      );
    }
    assert.equal(await loaded(page), COUNT, "every page loaded by scrolling");
    await page.keyboard.press("End");
    assert.equal(fleetRequests.length, 4, "four pages of at most 100");
    for (const body of fleetRequests) assert.match(body, /"first":100/);
    await page.getByText(`Pump ${String(COUNT).padStart(4, "0")}`, { exact: true }).waitFor();
    const end = await domRows(page);
    assert.ok(end.count < 40, `${end.count} rows in the DOM at the end`);
    assert.equal(end.last, COUNT + 1, "the last row is the last asset");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on a long list");
    assertClean(watch);
    await watch.context.close();
  });
});
