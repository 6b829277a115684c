import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { SignInDocument } from "./generated/graphql.js";
import { assertClean, axeViolations, launchChromium, openPortal, screenshot, signIn } from "./support/browser.js";
import {
  type Api,
  addMember,
  gqlOk,
  newClientAddress,
  newFleet,
  newTenant,
  PASSWORD,
  startApi,
  type TestTenant,
} from "./support/harness.js";
import { msToNs, turbofanLine, writeV2 } from "./support/telemetry.js";

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

/** What the first plot holds, as its figure states it, once no request is running. */
async function plotState(page: Page, notWindow?: number) {
  await page.locator('.plots[data-state="success"]').waitFor();
  const selector = notWindow === undefined ? "figure.plot" : `figure.plot:not([data-window-seconds="${notWindow}"])`;
  const figure = page.locator(selector).first();
  await figure.waitFor();
  const attr = async (name: string) => (await figure.getAttribute(name)) ?? "";
  const box = await figure.boundingBox();
  return {
    sensor: await attr("data-sensor"),
    points: Number(await attr("data-points")),
    bandWindows: Number(await attr("data-band-windows")),
    windowSeconds: Number(await attr("data-window-seconds")),
    from: Date.parse(await attr("data-from")),
    to: Date.parse(await attr("data-to")),
    widthPx: box?.width ?? 0,
  };
}

/** The windows of `windowSeconds` in [from, to) that hold at least one of the written times. */
function windowsWithData(times: readonly number[], from: number, to: number, windowSeconds: number): number {
  return new Set(times.filter((t) => t >= from && t < to).map((t) => Math.floor(t / (windowSeconds * 1000)))).size;
}

describe("the asset page", () => {
  let owner: TestTenant;
  let fleet: Awaited<ReturnType<typeof newFleet>>;
  /** One line a minute for the last 26 hours, on whole minutes. */
  const written: number[] = [];

  before(async () => {
    owner = await newTenant(api, "Asset Pumps");
    fleet = await newFleet(api, owner, { assets: 2 });
    const lastMinute = Math.floor(Date.now() / 60_000) * 60_000;
    for (let i = 0; i < 26 * 60; i++) written.push(lastMinute - i * 60_000);
    const lines = written.map((t, i) => turbofanLine("engine_1", i, msToNs(t))).join("\n");
    assert.equal((await writeV2(api, fleet.deviceToken, lines)).status, 204);
  });

  it("plots the sensors at about two points per pixel, re-queries a longer range with a larger window, zooms in and exports the range", async () => {
    const [engine1] = fleet.assets;
    assert.ok(engine1);
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.setViewportSize({ width: 1100, height: 1000 });
    await page.goto("/fleet");
    await signIn(watch, owner.ownerEmail);
    await page.getByRole("link", { name: "Engine 1" }).click();
    await page.getByRole("heading", { name: "Engine 1", level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/assets/${engine1.id}`);
    assert.ok(await page.getByText("engine_1", { exact: true }).first().isVisible(), "the external id");
    await page.getByText("Turbofan engine").waitFor();

    // The last day, by default: a window of a minute, each written minute one point.
    const day = await plotState(page);
    assert.equal(day.sensor, "s1", "sensors in natural order");
    assert.equal(day.to - day.from, 86_400_000);
    assert.ok((day.to - day.from) / 1000 / day.windowSeconds <= 2 * day.widthPx, `${day.windowSeconds}s windows for ${day.widthPx}px`);
    assert.equal(day.windowSeconds, 60);
    assert.equal(day.points, windowsWithData(written, day.from, day.to, day.windowSeconds));
    assert.ok(day.points > 1_400, `${day.points} points`);
    assert.equal(day.bandWindows, 0, "one point a window: no band");
    assert.equal(await page.locator("figure.plot").count(), 4, "the first four sensors");

    // A week: larger windows, fewer points, the same data.
    await page.getByLabel("Time range").selectOption({ label: "Last week" });
    const week = await plotState(page, day.windowSeconds);
    assert.equal(new URL(page.url()).searchParams.get("range"), "week");
    assert.equal(week.to - week.from, 7 * 86_400_000);
    assert.ok(week.windowSeconds > day.windowSeconds, `${week.windowSeconds}s after ${day.windowSeconds}s`);
    assert.ok((week.to - week.from) / 1000 / week.windowSeconds <= 2 * week.widthPx);
    assert.equal(week.points, windowsWithData(written, week.from, week.to, week.windowSeconds));
    // Ten minutes of s1 cycle through ten values: every full window spans a band from min to max.
    assert.ok(week.bandWindows >= week.points - 2, `${week.bandWindows} of ${week.points} windows with a band`);

    // Times in another zone, kept in the address.
    await page.getByLabel("Time zone").selectOption("Asia/Tokyo");
    await page.getByText("(Asia/Tokyo)").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("tz"), "Asia/Tokyo");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the asset page");

    // Dragging across the last part of a plot asks for that part again, in smaller windows.
    const over = page.locator("figure.plot .u-over").first();
    await over.scrollIntoViewIfNeeded();
    const box = await over.boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const zoomed = await plotState(page, week.windowSeconds);
    const params = new URL(page.url()).searchParams;
    assert.equal(params.get("range"), "custom");
    assert.equal(Date.parse(params.get("from") ?? ""), zoomed.from);
    assert.equal(Date.parse(params.get("to") ?? ""), zoomed.to);
    assert.ok(zoomed.to - zoomed.from < (week.to - week.from) / 5, "a smaller range");
    assert.ok(zoomed.windowSeconds < week.windowSeconds, `${zoomed.windowSeconds}s after ${week.windowSeconds}s`);
    assert.equal(zoomed.points, windowsWithData(written, zoomed.from, zoomed.to, zoomed.windowSeconds));

    // The CSV of the visible range: the raw points, fetched with the token in a header.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    assert.equal(download.suggestedFilename(), "engine_1.csv");
    const csv = (await readFile(await download.path(), "utf8")).trim().split("\n");
    assert.equal(csv[0], "time,s1,s2,s3,s4");
    const rawInRange = written.filter((t) => t >= zoomed.from && t < zoomed.to).length;
    assert.ok(rawInRange > 0);
    assert.equal(csv.length - 1, rawInRange);

    // Two times typed on Tokyo's wall clock (UTC+9, no daylight saving) name those instants.
    const end = written[0] ?? 0;
    const start = end - 2 * 3_600_000;
    const tokyo = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().slice(0, 16);
    await page.getByLabel("Time range").selectOption({ label: "Custom" });
    await page.getByLabel("From", { exact: true }).fill(tokyo(start));
    await page.getByLabel("To", { exact: true }).fill(tokyo(end));
    await page.getByRole("button", { name: "Show" }).click();
    const custom = await plotState(page, zoomed.windowSeconds);
    assert.equal(custom.from, start);
    assert.equal(custom.to, end);
    assert.equal(new URL(page.url()).searchParams.get("from"), new Date(start).toISOString());
    assert.equal(custom.points, windowsWithData(written, custom.from, custom.to, custom.windowSeconds));
    assertClean(watch);

    // The second engine never sent anything.
    const engine2 = fleet.assets[1];
    assert.ok(engine2);
    await page.goto(`/assets/${engine2.id}`);
    await page.getByText("No data in this range").waitFor();
    assert.equal(await page.locator("figure.plot").count(), 0);
    // The latest values are a request of their own: they may answer after the plot's.
    await page.getByText("never").first().waitFor();
    assert.ok(await page.getByText("never").first().isVisible(), "no latest value");
    assertClean(watch);
    await watch.context.close();
  });

  it("shows the API's refusal of a range with its request id", async () => {
    const [engine1] = fleet.assets;
    assert.ok(engine1);
    const watch = await openPortal(browser, api.url);
    await watch.page.goto(`/assets/${engine1.id}?range=custom&from=2001-01-01T00:00:00.000Z&to=2026-01-01T00:00:00.000Z`);
    await signIn(watch, owner.ownerEmail);
    const alert = watch.page.getByRole("alert").filter({ hasText: "Could not load the telemetry" });
    await alert.waitFor();
    const text = (await alert.textContent()) ?? "";
    assert.match(text, /at most 3660 days/, "the API's own message");
    assert.match(text, /Request id: req_[0-9a-f]+/);
    assertClean(watch, [/status of 400/]);
    await watch.context.close();
  });

  it("another company, an unknown id and a role without access see no asset", async () => {
    const [engine1] = fleet.assets;
    assert.ok(engine1);
    const other = await newTenant(api, "Other Valves");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await page.goto(`/assets/${engine1.id}`);
    await signIn(watch, other.ownerEmail);
    await page.getByRole("heading", { name: "Asset not found" }).waitFor();
    assert.equal(await page.getByText("Engine 1").count(), 0);
    await page.goto(`/assets/${randomUUID()}`);
    await page.getByRole("heading", { name: "Asset not found" }).waitFor();
    await page.goto("/assets/not-an-id");
    await page.getByRole("heading", { name: "Asset not found" }).waitFor();
    await screenshot(page, "asset-not-found");
    assertClean(watch, [/status of (400|404)/]);
    await watch.context.close();

    const fresh = await gqlOk(
      api,
      SignInDocument,
      { input: { email: owner.ownerEmail, password: PASSWORD } },
      undefined,
      newClientAddress(),
    );
    const finance = await addMember(api, { ...owner, token: fresh.signIn.token }, "FINANCE");
    const financeWatch = await openPortal(browser, api.url);
    await financeWatch.page.goto(`/assets/${engine1.id}`);
    await signIn(financeWatch, finance.email);
    const alert = financeWatch.page.getByRole("alert").first();
    await alert.waitFor();
    const text = (await alert.textContent()) ?? "";
    assert.match(text, /Could not load the asset/);
    assert.match(text, /Request id: req_[0-9a-f]+/);
    assertClean(financeWatch, [/status of 403/]);
    await financeWatch.context.close();
  });

  it("a reload on an asset page is answered with the portal, while a missing hashed file keeps the 404", async () => {
    const page = await fetch(`${api.url}/assets/${randomUUID()}`, { headers: { accept: "text/html" } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">/);
    const missing = await fetch(`${api.url}/assets/missing.js`, { headers: { accept: "text/html" } });
    assert.equal(missing.status, 404);
    const exportPath = await fetch(`${api.url}/export/assets/nothing`, { headers: { accept: "text/html" } });
    assert.match(exportPath.headers.get("content-type") ?? "", /^application\/json/, "the export route answers for itself");
  });
});
