import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { applyAnomalyRule, applyRulRule } from "../src/alerts/raise.js";
import { workflowCall } from "../src/core/calls.js";
import { RecordMaintenanceEventDocument, SetAlertRuleDocument } from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import { assertClean, axeViolations, launchChromium, openPortal, screenshot, signIn } from "./support/browser.js";
import { type Api, gqlOk, newFleet, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { registerTestVersion, seedPredictions } from "./support/models.js";
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

const HOUR = 3_600_000;

/** A figure's data-* attributes, once it is on the page. */
async function stated(page: Page, selector: string): Promise<Record<string, string>> {
  const element = page.locator(selector).first();
  await element.waitFor();
  return element.evaluate((e) => Object.fromEntries(Object.entries((e as unknown as { dataset: Record<string, string> }).dataset)));
}

async function openAsset(tenant: TestTenant, path: string) {
  const watch = await openPortal(browser, api.url);
  await watch.page.setViewportSize({ width: 1100, height: 2100 });
  await watch.page.goto(path);
  await signIn(watch, tenant.ownerEmail);
  return watch;
}

describe("the asset page's events and predictions", () => {
  it("marks maintenance events and alerts on the time axis, plots the remaining life with its interval and the anomaly score with its top sensors", async () => {
    // Two models (remaining life and anomaly): beyond the free tier's one.
    const owner = await newPaidTenant(api, "Marker Turbines");
    const fleet = await newFleet(api, owner, { assets: 2 });
    const [engine1, engine2] = fleet.assets;
    assert.ok(engine1 && engine2);
    const now = Date.now();
    const lastMinute = Math.floor(now / 60_000) * 60_000;
    const lines = Array.from({ length: 26 * 60 }, (_, i) => turbofanLine("engine_1", i, msToNs(lastMinute - i * 60_000)));
    assert.equal((await writeV2(api, fleet.deviceToken, lines.join("\n"))).status, 204);

    // Maintenance recorded through the API: three in the last day, one before it.
    const record = (kind: "FAILURE" | "REPAIR" | "INSPECTION", hoursAgo: number, note: string) =>
      gqlOk(
        api,
        RecordMaintenanceEventDocument,
        { input: { assetId: engine1.id, kind, note, occurredAt: new Date(now - hoursAgo * HOUR).toISOString() } },
        owner.token,
      );
    await record("INSPECTION", 30, "Annual inspection, before the range");
    await record("FAILURE", 20, "Bearing seized");
    await record("REPAIR", 18, "Bearing replaced");
    await record("INSPECTION", 6, "Vibration check after the repair");

    // A remaining-life model and an anomaly model, their predictions over the day, as the scoring stores them.
    const rulModel = await registerTestVersion(api, owner, { assetTypeId: fleet.typeId, runId: "wf_rul", rmse: 9 });
    const anomalyModel = await registerTestVersion(api, owner, {
      assetTypeId: fleet.typeId,
      runId: "wf_anomaly",
      rmse: 1,
      task: "anomaly",
    });
    const rulHours = [23, 19, 15, 11, 7, 3, 1];
    const rulValues = [120, 112, 101, 90, 75, 61, 50];
    const rulIds = await seedPredictions(
      api,
      owner,
      rulHours.map((h, i) => ({
        assetId: engine1.id,
        task: "rul" as const,
        modelVersionId: rulModel.version.id,
        createdAt: new Date(now - h * HOUR),
        rul: rulValues[i] ?? 0,
        rulLow: (rulValues[i] ?? 0) - 12,
        rulHigh: (rulValues[i] ?? 0) + 15,
      })),
    );
    const top = [
      { sensor: "s7", share: 0.55 },
      { sensor: "s3", share: 0.3 },
      { sensor: "s12", share: 0.15 },
    ];
    const anomalyIds = await seedPredictions(
      api,
      owner,
      [20, 12, 4, 2].map((h, i) => ({
        assetId: engine1.id,
        task: "anomaly" as const,
        modelVersionId: anomalyModel.version.id,
        createdAt: new Date(now - h * HOUR),
        anomalyScore: [1.2, 2.5, 3.8, 9.1][i] ?? 0,
        anomalyThreshold: 4,
        topSensors: h === 2 ? top : [],
      })),
    );
    // The latest predictions raise an alert each, through the alert rule.
    await gqlOk(api, SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 60, anomaly: true } }, owner.token);
    const raised = await workflowCall(api.services, { tenantId: owner.tenantId, workflowId: "wf_portal_asset" }, async (ctx) => [
      ...(await applyRulRule(ctx, {
        assetTypeId: fleet.typeId,
        scores: [
          { assetId: engine1.id, predictionId: rulIds.at(-1) ?? "", rul: 50, low: 38, high: 65, modelVersionId: rulModel.version.id },
        ],
      })),
      ...(await applyAnomalyRule(ctx, {
        assetTypeId: fleet.typeId,
        scores: [{ assetId: engine1.id, predictionId: anomalyIds.at(-1) ?? "", score: 9.1, threshold: 4, alarm: true, topSensors: top }],
      })),
    ]);
    assert.equal(raised.length, 2);

    const watch = await openAsset(owner, `/assets/${engine1.id}?range=day&sensors=s3,s7`);
    const { page } = watch;
    await page.getByRole("heading", { name: "Engine 1", level: 1 }).waitFor();
    await page.locator('.plots[data-state="success"] figure.plot').first().waitFor();

    // Five markers in the day on each plot: the three maintenance events and the two alerts, not the inspection of 30 hours ago.
    // (They are asked for once the plots have their data.)
    await page.locator(".marker-list ul[data-markers]").waitFor();
    const plot = await stated(page, "figure.plot[data-sensor='s3']");
    assert.equal(plot.markers, "5");
    assert.equal((await stated(page, ".marker-track")).markers, "5");
    const listed = await page
      .locator(".marker-list li")
      .evaluateAll((items) => items.map((li) => `${li.getAttribute("data-kind")} ${li.textContent}`));
    assert.equal(listed.length, 5);
    assert.match(listed[0] ?? "", /^failure .*F.*Failure.*Bearing seized/);
    assert.match(listed[1] ?? "", /^repair .*R.*Repair.*Bearing replaced/);
    assert.match(listed[2] ?? "", /^inspection .*I.*Inspection.*Vibration check/);
    assert.deepEqual(
      listed.slice(3).map((l) => l.split(" ")[0]),
      ["alert", "alert"],
    );
    assert.ok(
      listed.some((l) => /Remaining life low alert \(open\).*50\.0 cycles/.test(l)),
      "the remaining-life alert and its figures",
    );
    assert.ok(
      listed.some((l) => /Anomaly alert \(open\).*s7 \(55%\)/.test(l)),
      "the anomaly alert and its top sensors",
    );
    // Hovering a marker (or focusing it) shows its details.
    const failure = page.getByRole("button", { name: /^F Failure, / });
    await failure.hover();
    const tip = page.getByRole("tooltip").filter({ hasText: "Bearing seized" });
    await tip.waitFor({ state: "visible" });
    await page.getByRole("button", { name: /^R Repair, / }).focus();
    await page.getByRole("tooltip").filter({ hasText: "Bearing replaced" }).waitFor({ state: "visible" });

    // The remaining life over the day: seven predictions, each with its interval; the latest with its model version.
    const rul = await stated(page, "figure.rul-plot");
    assert.equal(rul.points, "7");
    assert.equal(rul.bandPoints, "7");
    assert.equal(rul.minRul, "50");
    assert.equal(rul.maxRul, "120");
    assert.equal((await page.locator("figure.rul-plot canvas").count()) > 0, true, "drawn");
    await page.locator(".latest-rul[data-model-version='1']").waitFor();
    const latest = await stated(page, ".latest-rul");
    assert.equal(latest.rul, "50");
    assert.equal(latest.modelVersionId, rulModel.version.id);
    assert.equal(Date.parse(latest.madeAt ?? ""), now - HOUR, "when it was made");
    assert.match((await page.locator(".latest-rul").textContent()) ?? "", /50 cycles.*interval 38–65.*version 1/);

    // The anomaly score: the latest with the sensors that contribute most, and its history over the day.
    const anomaly = await stated(page, ".latest-anomaly");
    assert.equal(anomaly.score, "9.1");
    assert.equal(anomaly.threshold, "4");
    assert.equal(anomaly.topSensors, "s7,s3,s12");
    assert.match((await page.locator(".top-sensors").textContent()) ?? "", /s7.*55 %.*s3.*30 %.*s12.*15 %/);
    const history = await stated(page, "figure.anomaly-plot");
    assert.equal(history.points, "4");
    assert.equal(history.aboveThreshold, "1");

    // The picture shows one marker's details: the failure's, hovered.
    await page.getByRole("button", { name: /^R Repair, / }).evaluate((e) => (e as unknown as { blur(): void }).blur());
    await failure.hover();
    await screenshot(page, "asset");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the asset page");
    assertClean(watch);

    // A week back: the inspection of 30 hours ago joins the markers.
    await page.getByLabel("Time range").selectOption({ label: "Last week" });
    await page.locator("figure.plot[data-sensor='s3'][data-markers='6']").waitFor();
    assert.equal(await page.locator(".marker-list li").count(), 6);

    // The second engine: a model exists, it has not been scored, nothing happened to it.
    await page.goto(`/assets/${engine2.id}?range=day`);
    await page.getByRole("heading", { name: "Engine 2", level: 1 }).waitFor();
    assert.equal((await stated(page, "[data-empty]")).empty, "not-scored");
    assert.equal((await stated(page, "figure.rul-plot")).points, "0");
    assert.equal((await stated(page, "figure.anomaly-plot")).points, "0");
    await page.getByText("No remaining-life prediction was made in this range.").waitFor();
    await page.getByText("No maintenance events or alerts in this range.").waitFor();
    assert.equal(await page.locator(".latest-rul, .latest-anomaly").count(), 0);
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on an asset without predictions");
    assertClean(watch);
    await watch.context.close();
  });

  it("says an asset type has no model yet", async () => {
    const owner = await newTenant(api, "Modelless Mills");
    const fleet = await newFleet(api, owner, { assets: 1, sensors: ["s1"] });
    const [asset] = fleet.assets;
    assert.ok(asset);
    const watch = await openAsset(owner, `/assets/${asset.id}`);
    assert.equal((await stated(watch.page, "[data-empty]")).empty, "no-model");
    await watch.page.getByText("This asset type has no trained model yet", { exact: false }).waitFor();
    assert.equal((await stated(watch.page, "figure.rul-plot")).points, "0");
    assertClean(watch);
    await watch.context.close();
  });
});
