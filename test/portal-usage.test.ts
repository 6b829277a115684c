import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { runUsageSync } from "../src/billing/usage-schedule.js";
import { newId } from "../src/core/ids.js";
import type { Db } from "../src/db/client.js";
import type { TrainRequest } from "../src/mlops/index.js";
import { TRAIN_MODEL } from "../src/mlops/index.js";
import { startWorkflow } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { assertClean, axeViolations, launchChromium, openPortal, type PageWatch, signIn, writeControls } from "./support/browser.js";
import { type CmapssFleet, loadCmapss } from "./support/cmapss.js";
import { type Api, addMember, gqlOk, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { insertTestPlan, ownerDb, setPlanLimits, setSubscription } from "./support/plans.js";
import { formatMoney, fullScreenshot, openSignedIn, partScreenshot } from "./support/portal-usage.js";
import { ensureStripeMeters, recordTestUsage } from "./support/usage.js";
import { type RunningWorker, startWorker, temporalClient } from "./support/worker.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const METERS = ["POINTS_INGESTED", "PREDICTIONS", "TRAINING_RUNS"] as const;
const PRICES = { baseAmount: 4999, pointsAmountPer1000: 13, predictionAmount: 7, trainingRunAmount: 333 };
const PREDICTIONS = 3;

let api: Api;
let owner: Db;
let browser: Browser;
let worker: RunningWorker;
let tenant: TestTenant;
let fleet: CmapssFleet;
let planId: string;
/** The subscription's period, as the webhooks would have left it: it began two days ago. */
const periodStart = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * DAY);
const periodEnd = new Date(periodStart.getTime() + 30 * DAY);

/** A training run of the fleet's type through Temporal and the worker, as a manual run. */
async function train(): Promise<void> {
  const request: TrainRequest = {
    tenantId: tenant.tenantId,
    assetTypeId: fleet.typeId,
    task: "rul",
    trigger: "manual",
    reason: "usage page test",
    requestedBy: `user:${tenant.ownerId}`,
    params: { ensemble: 1, gbm: { trees: 40 }, interval: { folds: 0 } },
  };
  const temporal = await temporalClient();
  try {
    const handle = await startWorkflow(temporal.client, TRAIN_MODEL, { workflowId: newId("trainingRun"), args: [request] });
    await handle.result();
  } finally {
    await temporal.close();
  }
}

/** The ledger's sums per meter (upper case, as the API spells them): the source of truth. */
async function ledger(): Promise<Record<string, number>> {
  const rows = await owner.sql<{ meter: string; q: string }[]>`
    select meter, sum(quantity)::text as q from usage_ledger where tenant_id = ${tenant.tenantId} group by meter`;
  return Object.fromEntries(rows.map((r) => [r.meter.toUpperCase(), Number(r.q)]));
}

/** What the page shows per meter row: [period, today, limit, level]. */
const meterRows = (page: Page) =>
  page.locator("table[data-table=meters] tbody tr").evaluateAll((rows) =>
    rows.map((r) => ({
      meter: r.getAttribute("data-meter"),
      period: Number(r.getAttribute("data-period")),
      today: Number(r.getAttribute("data-today")),
      level: r.getAttribute("data-level"),
      periodText: r.querySelector("[data-cell=period]")?.textContent,
      levelText: r.querySelector("[data-level]:not(tr)")?.textContent,
    })),
  );

/** Clicks a "Download CSV" button; answers the saved file's bytes, its name, and the URL the portal fetched. */
async function download(page: Page, kind: string) {
  const [request, saved] = await Promise.all([
    page.waitForRequest((r) => r.url().includes(`/billing/${kind}.csv`)),
    page.waitForEvent("download"),
    page.locator(`button[data-csv=${kind}]`).click(),
  ]);
  return {
    bytes: await readFile((await saved.path()) ?? ""),
    name: saved.suggestedFilename(),
    url: request.url(),
    auth: request.headers().authorization,
  };
}

async function openAs(watch: PageWatch, email: string, path: string) {
  await watch.page.goto(path);
  await signIn(watch, email);
  await watch.page.getByRole("navigation", { name: "Main" }).getByRole("link").first().waitFor();
}

before(async () => {
  api = await startApi();
  owner = ownerDb();
  browser = await launchChromium();
  worker = await startWorker(api);
  tenant = await newTenant(api, "Usage Works");
  planId = (await insertTestPlan(owner, PRICES)).id;
  await setSubscription(owner, tenant.tenantId, { planId, status: "active", periodStart, periodEnd });
  api.services.scopes.clear();
  // Points through /api/v2/write, a training run through the worker, predictions through the API.
  fleet = await loadCmapss(api, tenant, { trainUnits: 25, testUnits: PREDICTIONS });
  await train();
  for (let unit = 1; unit <= PREDICTIONS; unit++) {
    const assetId = fleet.assets.get(`test_${String(unit).padStart(3, "0")}`) ?? "";
    await gqlOk(api, g.PredictRulDocument, { assetId }, tenant.token);
  }
  // Usage of an hour that is closed, reported to Stripe by the usage sync (stripe-mock confirms it):
  // the reconciliation shows it matched, and the current hour not reported yet.
  await ensureStripeMeters();
  await recordTestUsage(api, tenant.tenantId, [
    { meter: "points_ingested", quantity: 2500, at: new Date(Date.now() - 3 * HOUR) },
    { meter: "predictions", quantity: 2, at: new Date(Date.now() - 3 * HOUR) },
  ]);
  const temporal = await temporalClient();
  try {
    await runUsageSync(temporal.client);
  } finally {
    await temporal.close();
  }
  // Small limits now that the usage is there: today's points at 90 % (amber), predictions at 100 %
  // (red), training runs at 25 % (green); the assets at 80 % or more of the maximum (amber).
  const { quotaUse } = await gqlOk(api, g.QuotaUseDocument, {}, tenant.token);
  const today = (meter: string) => quotaUse.daily.find((d) => d.meter === meter)?.used ?? 0;
  const assets = fleet.assets.size;
  await setPlanLimits(owner, planId, {
    pointsPerDay: Math.ceil(today("POINTS_INGESTED") / 0.9),
    predictionsPerDay: today("PREDICTIONS"),
    trainingRunsPerDay: 4,
    maxAssets: Math.ceil(assets / 0.85),
    maxModels: 10,
  });
});

after(async () => {
  await worker?.close();
  await browser?.close();
  await owner?.close();
  await api?.close();
});

describe("the usage page", () => {
  it("shows the ledger's figures, the traffic lights, the invoice preview to the cent and the API's CSVs byte for byte", async () => {
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, tenant.ownerEmail, "/usage");
    await page.getByRole("heading", { name: "Usage", level: 1 }).waitFor();
    await page.locator("table[data-table=meters]").waitFor();
    await page.locator("table[data-table=invoice]").waitFor();
    await page.locator("table[data-table=reconciliation-hours]").waitFor();

    // The period's figures: exactly the API's usage answer and the ledger.
    const truth = await ledger();
    const now = Date.now();
    const range = { from: periodStart.toISOString(), to: new Date(Math.floor(now / HOUR) * HOUR + HOUR).toISOString() };
    const { usage } = await gqlOk(api, g.UsageDocument, { ...range, granularity: "DAY" }, tenant.token);
    const fromApi = Object.fromEntries(METERS.map((m) => [m, usage.filter((u) => u.meter === m).reduce((s, u) => s + u.quantity, 0)]));
    const { quotaUse } = await gqlOk(api, g.QuotaUseDocument, {}, tenant.token);
    const shown = await meterRows(page);
    assert.deepEqual(
      shown.map((r) => r.meter),
      [...METERS],
    );
    for (const row of shown) {
      const meter = row.meter as (typeof METERS)[number];
      assert.ok((truth[meter] ?? 0) > 0, `${meter} was used`);
      assert.equal(row.period, truth[meter], `${meter}: the page shows the ledger's sum`);
      assert.equal(row.period, fromApi[meter], `${meter}: and the API's usage answer`);
      assert.equal(row.periodText, new Intl.NumberFormat("en-US").format(truth[meter] ?? 0));
      assert.equal(row.today, quotaUse.daily.find((d) => d.meter === meter)?.used);
    }
    // The traffic lights: colour and a word.
    assert.deepEqual(
      shown.map((r) => [r.meter, r.level, r.levelText?.trim()]),
      [
        ["POINTS_INGESTED", "near", "▲ Near the limit"],
        ["PREDICTIONS", "reached", "■ Limit reached"],
        ["TRAINING_RUNS", "ok", "● Within the limit"],
      ],
    );
    const counts = await page
      .locator("table[data-table=counts] tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute("data-count"), Number(r.getAttribute("data-used")), r.getAttribute("data-level")]),
      );
    assert.deepEqual(counts, [
      ["MAX_ASSETS", fleet.assets.size, "near"],
      ["MAX_MODELS", 1, "ok"],
    ]);
    const colours = await page
      .locator("[data-level=near] > span, .usage-level-reached")
      .evaluateAll((els) =>
        els.map(
          (e) =>
            (globalThis as unknown as { getComputedStyle(el: unknown): { backgroundColor: string } }).getComputedStyle(
              e.closest(".usage-level") ?? e,
            ).backgroundColor,
        ),
      );
    assert.ok(new Set(colours).size >= 2, "amber and red are told apart by colour too");

    // The invoice preview: the API's total, formatted from minor units, and the prices times the ledger's usage.
    const { invoicePreview } = await gqlOk(api, g.InvoicePreviewDocument, {}, tenant.token);
    const expectedTotal =
      PRICES.baseAmount +
      Math.ceil((truth.POINTS_INGESTED ?? 0) / 1000) * PRICES.pointsAmountPer1000 +
      (truth.PREDICTIONS ?? 0) * PRICES.predictionAmount +
      (truth.TRAINING_RUNS ?? 0) * PRICES.trainingRunAmount;
    assert.equal(invoicePreview.total, expectedTotal);
    assert.equal(await page.locator("table[data-table=invoice]").getAttribute("data-total"), String(expectedTotal));
    assert.equal(await page.locator("[data-cell=total]").textContent(), formatMoney(expectedTotal, "eur", "en-US"));

    // The reconciliation, hour by hour: the API's ledger and reported figures.
    const { usageReconciliation } = await gqlOk(
      api,
      g.UsageReconciliationDocument,
      { from: periodStart.toISOString(), to: range.to },
      tenant.token,
    );
    const hours = await page.locator("table[data-table=reconciliation-hours] tbody tr").evaluateAll((rows) =>
      rows.map((r) => ({
        hour: r.getAttribute("data-hour"),
        meter: r.getAttribute("data-meter"),
        ledger: r.querySelector("[data-cell=ledger]")?.textContent,
        status: r.querySelector("[data-status]")?.getAttribute("data-status"),
      })),
    );
    const fmt = new Intl.NumberFormat("en-US");
    assert.deepEqual(
      hours,
      [...usageReconciliation.hours]
        .reverse()
        .map((h) => ({ hour: h.hour, meter: h.meter, ledger: fmt.format(h.ledgerQuantity), status: h.status })),
    );

    assert.ok(
      hours.some((h) => h.status === "MATCH"),
      "the closed hour was reported and confirmed",
    );

    // Each CSV is the API's CSV, byte for byte, fetched with the member's token in a header.
    for (const kind of ["usage", "invoice-preview", "reconciliation"]) {
      const saved = await download(page, kind);
      assert.equal(new URL(saved.url).search.includes("token"), false, "no token in the address");
      assert.match(saved.auth ?? "", /^Bearer /);
      const answer = await fetch(saved.url, { headers: { authorization: `Bearer ${tenant.token}` } });
      assert.equal(answer.status, 200);
      assert.deepEqual(saved.bytes, Buffer.from(await answer.arrayBuffer()), `${kind}.csv`);
      assert.equal(saved.name, /filename="([^"]+)"/.exec(answer.headers.get("content-disposition") ?? "")?.[1]);
      assert.ok(saved.bytes.length > 60);
    }
    const invoiceCsv = (await download(page, "invoice-preview")).bytes.toString("utf8");
    assert.match(invoiceCsv, new RegExp(`,TOTAL,,,${expectedTotal},`));

    assert.deepEqual(await axeViolations(page), []);
    await fullScreenshot(page, "usage");
    assertClean(watch);
    await watch.context.close();
  });

  it("finance sees all of it and nothing that writes; a viewer has no link and the page refuses", async () => {
    const finance = await addMember(api, tenant, "FINANCE");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, finance.email, "/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).click();
    await page.locator("table[data-table=meters]").waitFor();
    await page.locator("table[data-table=invoice]").waitFor();
    await page.locator("table[data-table=reconciliation-totals]").waitFor();
    assert.equal(await page.locator("button[data-csv]").count(), 3);
    assert.deepEqual(await writeControls(page), []);
    await partScreenshot(page, "section[aria-labelledby=usage-reconciliation]", "usage-reconciliation");
    assert.deepEqual(await axeViolations(page), []);
    assertClean(watch);
    await watch.context.close();

    const viewer = await addMember(api, tenant, "VIEWER");
    const seen = await openPortal(browser, api.url);
    await openAs(seen, viewer.email, "/fleet");
    assert.equal(await seen.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).count(), 0);
    await seen.page.goto("/usage");
    const refusal = seen.page.getByRole("alert");
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? "", /billing:read/);
    assert.match((await refusal.textContent()) ?? "", /Request id/);
    assert.equal(await seen.page.locator("table").count(), 0);
    assert.deepEqual(await axeViolations(seen.page), []);
    // The refusal is the API's answer (403 in the console), nothing else.
    assertClean(seen, [/status of 403/]);
    await seen.context.close();
  });

  it("speaks German in a de-DE browser: the heading, the labels, numbers and money", async () => {
    const page = await openSignedIn(browser, api, tenant.ownerEmail, "de-DE");
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto("/usage");
    await page.getByRole("heading", { name: "Verbrauch", level: 1 }).waitFor();
    await page.locator("table[data-table=invoice]").waitFor();
    await page.getByRole("columnheader", { name: "Tageslimit" }).waitFor();
    const points = (await ledger()).POINTS_INGESTED ?? 0;
    assert.ok(points >= 1000);
    const cell = await page.locator("tr[data-meter=POINTS_INGESTED] [data-cell=period]").textContent();
    assert.equal(cell, new Intl.NumberFormat("de-DE").format(points));
    assert.match(cell ?? "", /^\d{1,3}(\.\d{3})+$/, "German thousands: 12.345");
    const total = Number(await page.locator("table[data-table=invoice]").getAttribute("data-total"));
    assert.equal(await page.locator("[data-cell=total]").textContent(), formatMoney(total, "eur", "de-DE"));
    await page.getByText("Nahe am Limit").first().waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await fullScreenshot(page, "usage-de");
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
