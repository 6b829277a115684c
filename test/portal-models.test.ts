import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { startWorker, stopWorker } from "../scripts/worker-process.js";
import * as g from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import { assertClean, axeViolations, launchChromium, openPortal, type PageWatch, screenshot, writeControls } from "./support/browser.js";
import { type CmapssFleet, loadCmapss } from "./support/cmapss.js";
import { type Api, addMember, gqlOk, newFleet, newTenant, PASSWORD, startApi, type TestTenant } from "./support/harness.js";
import { registerTestVersion } from "./support/models.js";
import { seedDriftCheck, startLongTraining, watchRun } from "./support/portal-models.js";

let api: Api;
let browser: Browser;
let worker: ChildProcess;

before(async () => {
  api = await startApi();
  browser = await launchChromium();
  worker = await startWorker();
});

after(async () => {
  await browser?.close();
  if (worker) await stopWorker(worker);
  await api?.close();
});

/** Signs in on `path` (the form in either language) and waits for the shell's navigation. */
async function openAs(watch: PageWatch, email: string, path: string) {
  const { page } = watch;
  await page.goto(path);
  await page.getByLabel(/^(Email|E-Mail)/).fill(email);
  await page.getByLabel(/^(Password|Passwort)/).fill(PASSWORD);
  await page.getByRole("button", { name: /^(Sign in|Anmelden)$/ }).click();
  await page.locator("nav").getByRole("link").first().waitFor();
}

const champion = (watch: PageWatch, task: "RUL" | "ANOMALY" = "RUL") =>
  watch.page.locator(`section[data-task="${task}"] [data-champion-version-id]`).getAttribute("data-champion-version-id");

describe("the models pages", () => {
  let owner: TestTenant;
  let fleet: CmapssFleet;
  let trainedVersionId = "";

  before(async () => {
    owner = await newPaidTenant(api, "Models Works");
    fleet = await loadCmapss(api, owner, { trainUnits: 12, testUnits: 3 });
  });

  it("an owner starts a training run, watches its stages and percent, and it ends with a version that is champion", async () => {
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, "/models");
    await page.getByRole("heading", { name: "Models", level: 1 }).waitFor();
    const typeRow = page.locator(`tr[data-asset-type-id="${fleet.typeId}"]`);
    await typeRow.getByText("Not trained yet").first().waitFor();
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the models overview");
    await typeRow.getByRole("link", { name: "Turbofan engine" }).click();
    await page.getByRole("heading", { name: "Models of Turbofan engine" }).waitFor();
    await page.locator('[data-empty="no-model"]').waitFor();
    await page.getByText("No training run yet.").waitFor();

    const form = page.getByRole("form", { name: "Start a training run" });
    await form.getByRole("button", { name: "Start training" }).click();
    await form.getByText("Give a reason.").waitFor();
    await form.getByLabel("Reason").fill("First model of the fleet");
    await form.getByRole("button", { name: "Start training" }).click();

    await page.locator("tr[data-run-id]").first().waitFor();
    const runs = (await gqlOk(api, g.TrainingRunsDocument, { assetTypeId: fleet.typeId }, owner.token)).trainingRuns.edges;
    assert.equal(runs.length, 1);
    const runId = runs[0]?.node.id ?? "";
    assert.equal(runs[0]?.node.reason, "First model of the fleet");
    const { seen, status } = await watchRun(page, runId, 10 * 60_000);
    assert.equal(status, "SUCCEEDED", `seen: ${seen.join(", ")}`);
    assert.ok(
      seen.some((s) => /^(planning|fitting|registering) \d+$/.test(s) && Number(s.split(" ")[1]) < 100),
      `an intermediate stage with its percent was shown: ${seen.join(", ")}`,
    );
    const run = (await gqlOk(api, g.TrainingRunDocument, { id: runId }, owner.token)).trainingRun;
    trainedVersionId = run.versionId ?? "";
    assert.ok(trainedVersionId);
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await row.locator(`[data-version-id="${trainedVersionId}"]`).getByText("Version 1").waitFor();
    await row.getByText("Finished").waitFor();
    const versionRow = page.locator(`tr[data-version-id="${trainedVersionId}"]`);
    await versionRow.waitFor();
    assert.equal(await versionRow.getAttribute("data-alias"), "champion");
    assert.equal(await champion(watch), trainedVersionId);

    // Figures and lineage as the API holds them.
    const version = (await gqlOk(api, g.ModelVersionDocument, { id: trainedVersionId }, owner.token)).modelVersion;
    const holdout = (version.metrics.holdout ?? {}) as { rmse: number };
    assert.match((await versionRow.textContent()) ?? "", new RegExp(`RMSE ${(Math.round(holdout.rmse * 100) / 100).toString()} cycles`));
    const lineage = version.lineage as { assets: { externalId: string; rows: number }[]; rows: number };
    await page.getByRole("heading", { level: 1 }).scrollIntoViewIfNeeded();
    await screenshot(page, "models-type");
    await versionRow.getByText("Assets and time ranges").click();
    const lineageRows = versionRow.locator("tr[data-lineage-asset]");
    assert.equal(await lineageRows.count(), lineage.assets.length);
    assert.deepEqual(
      await lineageRows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-lineage-asset"))),
      lineage.assets.map((a) => a.externalId),
    );
    assert.match(
      (await versionRow.textContent()) ?? "",
      new RegExp(`${lineage.assets.length} assets · ${lineage.rows.toLocaleString("en-US")} rows`),
    );
    assert.deepEqual(await axeViolations(page), [], "accessibility violations on the asset type's models");
    assertClean(watch);
    await watch.context.close();
  });

  it("cancelling a running training shows it cancelled, with nothing registered", async () => {
    const runId = await startLongTraining(owner, fleet.typeId);
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, `/models/${fleet.typeId}`);
    const row = page.locator(`tr[data-run-id="${runId}"]`);
    await row.locator('[data-stage="fitting"]').waitFor({ timeout: 120_000 });
    await page.locator("section.training").evaluate((section) => section.scrollIntoView());
    await screenshot(page, "models-training");
    await row.getByRole("button", { name: "Cancel run" }).click();
    const { status } = await watchRun(page, runId, 120_000);
    assert.equal(status, "CANCELLED");
    await row.getByText("Stopped; nothing was registered.").waitFor();
    const run = (await gqlOk(api, g.TrainingRunDocument, { id: runId }, owner.token)).trainingRun;
    assert.equal(run.status, "CANCELLED");
    assert.equal(run.versionId, null);
    assertClean(watch);
    await watch.context.close();
  });

  it("schedules and the alert rule are edited in the page and show the API's values; a refused field shows next to it", async () => {
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, `/models/${fleet.typeId}`);
    const schedule = page.getByRole("form", { name: "Schedules" });
    await schedule.getByLabel("Retrain every (hours)").fill("0");
    await schedule.getByRole("button", { name: "Save schedules" }).click();
    await schedule.getByText(/"retrainEveryHours" must be a whole number of hours/).waitFor();
    assert.equal(await schedule.getByLabel("Retrain every (hours)").getAttribute("aria-invalid"), "true");

    await schedule.getByLabel("Retrain every (hours)").fill("168");
    await schedule.getByLabel("Check for drift every (hours)").fill("6");
    await schedule.getByLabel("Drift threshold (PSI)").fill("0.3");
    await schedule.getByRole("button", { name: "Save schedules" }).click();
    await page.getByText("Schedules saved.").waitFor();
    const stored = (await gqlOk(api, g.ModelScheduleDocument, { assetTypeId: fleet.typeId }, owner.token)).modelSchedule;
    assert.deepEqual({ ...stored }, { assetTypeId: fleet.typeId, retrainEveryHours: 168, driftCheckEveryHours: 6, driftThreshold: 0.3 });
    const facts = page.locator("dl[data-retrain]");
    assert.equal(await facts.getAttribute("data-retrain"), "168");
    assert.equal(await facts.getAttribute("data-drift"), "6");
    assert.match((await facts.textContent()) ?? "", /Every 168 hours.*Every 6 hours.*0\.3/);

    const rule = page.getByRole("form", { name: "Alert rule" });
    await rule.getByLabel("Alert when remaining life falls below (cycles)").fill("30");
    await rule.getByLabel("Alert when an anomaly alarm stands").check();
    await rule.getByRole("button", { name: "Save alert rule" }).click();
    await page.getByText("Alert rule saved.").waitFor();
    const rules = (await gqlOk(api, g.AlertRulesDocument, {}, owner.token)).alertRules.filter((r) => r.assetTypeId === fleet.typeId);
    assert.deepEqual(
      rules.map((r) => ({ rulBelow: r.rulBelow, anomaly: r.anomaly })),
      [{ rulBelow: 30, anomaly: true }],
    );
    await page.locator('dl[data-rul-below="30"][data-anomaly="true"]').getByText("Alert below 30 cycles").waitFor();

    // Cleared again: both schedules off.
    await schedule.getByLabel("Retrain every (hours)").fill("");
    await schedule.getByLabel("Check for drift every (hours)").fill("");
    await schedule.getByRole("button", { name: "Save schedules" }).click();
    await page.locator('dl[data-retrain=""][data-drift=""]').waitFor();
    const cleared = (await gqlOk(api, g.ModelScheduleDocument, { assetTypeId: fleet.typeId }, owner.token)).modelSchedule;
    assert.equal(cleared.retrainEveryHours, null);
    assert.equal(cleared.driftCheckEveryHours, null);
    assertClean(watch, [/status of 400/]);
    await watch.context.close();
  });

  it("lists the drift checks with the sensors that drifted", async () => {
    assert.ok(trainedVersionId, "the training test ran first");
    await seedDriftCheck(api, owner, {
      assetTypeId: fleet.typeId,
      versionId: trainedVersionId,
      psi: { s2: 0.02, s4: 0.41, s9: 0.3 },
      drifted: ["s4", "s9"],
      threshold: 0.25,
    });
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, "/models");
    await page.locator(`tr[data-asset-type-id="${fleet.typeId}"] [data-champion-version="1"]`).waitFor();
    await screenshot(page, "models");
    await page.goto(`/models/${fleet.typeId}`);
    const { driftChecks } = await gqlOk(api, g.DriftChecksDocument, { assetTypeId: fleet.typeId }, owner.token);
    const rows = page.locator("tr[data-drift-check-id]");
    await rows.first().waitFor();
    assert.deepEqual(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-drifted"))),
      driftChecks.edges.map((e) => e.node.drifted.join(",")),
    );
    const first = rows.first();
    await first.getByText("s4 (PSI 0.41)").waitFor();
    await first.getByText("s9 (PSI 0.3)").waitFor();
    await first.getByText("Version 1").waitFor();
    await page.locator("section.drift").scrollIntoViewIfNeeded();
    await screenshot(page, "models-settings");
    assertClean(watch);
    await watch.context.close();
  });

  it("a viewer sees no write control, an engineer trains but sees no promote or roll back, an admin does", async () => {
    const viewer = await addMember(api, owner, "VIEWER");
    const engineer = await addMember(api, owner, "ENGINEER");
    const admin = await addMember(api, owner, "ADMIN");
    const asViewer = await openPortal(browser, api.url);
    await openAs(asViewer, viewer.email, `/models/${fleet.typeId}`);
    await asViewer.page.locator(`tr[data-version-id="${trainedVersionId}"]`).waitFor();
    await asViewer.page.locator("dl[data-retrain]").waitFor();
    await asViewer.page.locator("dl[data-rul-below]").waitFor();
    assert.deepEqual(await writeControls(asViewer.page), []);
    assertClean(asViewer);
    await asViewer.context.close();

    const asEngineer = await openPortal(browser, api.url);
    await openAs(asEngineer, engineer.email, `/models/${fleet.typeId}`);
    await asEngineer.page.locator(`tr[data-version-id="${trainedVersionId}"]`).waitFor();
    await asEngineer.page.getByRole("form", { name: "Start a training run" }).waitFor();
    const controls = await writeControls(asEngineer.page);
    assert.ok(controls.includes('button "Start training"'), controls.join(", "));
    assert.deepEqual(
      controls.filter((c) => /Promote|Roll back/.test(c)),
      [],
    );
    assertClean(asEngineer);
    await asEngineer.context.close();

    // models:promote (owners, admins) is what the page follows.
    const asAdmin = await openPortal(browser, api.url);
    await openAs(asAdmin, admin.email, `/models/${fleet.typeId}`);
    await asAdmin.page.locator(`tr[data-version-id="${trainedVersionId}"]`).waitFor();
    await asAdmin.page.getByRole("button", { name: "Roll back" }).first().waitFor();
    assertClean(asAdmin);
    await asAdmin.context.close();
  });

  it("renders in German", async () => {
    const german = { locale: "de-DE", timezoneId: "Europe/Berlin" };
    const watch = await openPortal(browser, api.url, german);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, "/models");
    await page.getByRole("heading", { name: "Modelle", level: 1 }).waitFor();
    await page.getByRole("columnheader", { name: "Restlebensdauer" }).waitFor();
    await page.getByRole("link", { name: "Turbofan engine" }).click();
    await page.getByRole("heading", { name: "Modelle für Turbofan engine" }).waitFor();
    await page.getByRole("form", { name: "Trainingslauf starten" }).getByLabel("Begründung").waitFor();
    await page.getByRole("button", { name: "Training starten" }).waitFor();
    await page.locator(`tr[data-version-id="${trainedVersionId}"]`).getByText("Champion").waitFor();
    await page.getByText("Letzte Driftprüfungen").waitFor();
    await screenshot(page, "models-de");
    assert.deepEqual(await axeViolations(page), [], "accessibility violations in German");
    assertClean(watch);
    await watch.context.close();
  });
});

describe("promoting and rolling back", () => {
  it("an owner promotes the challenger and rolls back, each with a reason; the champion shown follows", async () => {
    const tenant = await newTenant(api, "Champion Works");
    const small = await newFleet(api, tenant, { assets: 2, sensors: ["s1"] });
    const typeId = small.typeId;
    const v1 = await registerTestVersion(api, tenant, { assetTypeId: typeId, runId: "wf_first", rmse: 14.2 });
    const v2 = await registerTestVersion(api, tenant, { assetTypeId: typeId, runId: "wf_second", rmse: 12.9 });
    await gqlOk(api, g.PromoteModelVersionDocument, { versionId: v1.version.id, reason: "first champion" }, tenant.token);

    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, tenant.ownerEmail, `/models/${typeId}`);
    await page.locator(`tr[data-version-id="${v2.version.id}"]`).waitFor();
    assert.equal(await champion(watch), v1.version.id);
    await page.getByRole("button", { name: "Promote version 2" }).click();
    const promote = page.getByRole("form", { name: "Make version 2 the champion" });
    await promote.getByRole("button", { name: "Promote" }).click();
    await promote.getByText("Give a reason.").waitFor();
    await promote.getByLabel("Reason").fill("Lower holdout error");
    await screenshot(page, "models-promote");
    await promote.getByRole("button", { name: "Promote" }).click();
    await page.getByText("Version 2 is now the champion.").waitFor();
    await page.locator(`[data-champion-version-id="${v2.version.id}"]`).waitFor();
    const after = (await gqlOk(api, g.ModelsDocument, { assetTypeId: typeId }, tenant.token)).models[0];
    assert.equal(after?.champion?.id, v2.version.id);
    assert.equal(await page.locator(`tr[data-version-id="${v2.version.id}"]`).getAttribute("data-alias"), "champion");

    await page.getByRole("button", { name: "Roll back" }).click();
    const rollback = page.getByRole("form", { name: "Restore the champion the current one replaced" });
    await rollback.getByLabel("Reason").fill("Worse on the plant's own engines");
    await rollback.getByRole("button", { name: "Roll back" }).click();
    await page.getByText("Version 1 is now the champion.").waitFor();
    await page.locator(`[data-champion-version-id="${v1.version.id}"]`).waitFor();
    const rolled = (await gqlOk(api, g.ModelsDocument, { assetTypeId: typeId }, tenant.token)).models[0];
    assert.equal(rolled?.champion?.id, v1.version.id);
    const { auditLog } = await gqlOk(api, g.AuditLogDocument, { first: 10 }, tenant.token);
    const reasons = auditLog.edges.map((e) => (e.node.data as { reason?: string } | null)?.reason).filter(Boolean);
    assert.ok(reasons.includes("Lower holdout error") && reasons.includes("Worse on the plant's own engines"), reasons.join(", "));

    // The API refuses a rollback past the first champion: its message shows in the form.
    await page.getByRole("button", { name: "Roll back" }).click();
    await rollback.getByLabel("Reason").fill("Again");
    await rollback.getByRole("button", { name: "Roll back" }).click();
    const refusal = rollback.getByRole("alert");
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? "", /nothing to roll back to.*Request id: req_/s);
    assert.deepEqual(await axeViolations(page), [], "accessibility violations with the reason form");
    assertClean(watch, [/status of 409/]);
    await watch.context.close();
  });
});

describe("states", () => {
  it("a company without asset types sees the empty state; another company's type is not found; finance sees the API's refusal", async () => {
    const tenant = await newTenant(api, "Empty Works");
    const other = await newTenant(api, "Other Works");
    const foreign = await newFleet(api, other, { assets: 1, sensors: ["s1"] });
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, tenant.ownerEmail, "/models");
    await page.locator('[data-empty="no-types"]').getByText("No asset types yet").waitFor();
    await page.goto(`/models/${foreign.typeId}`);
    await page.locator('[data-empty="not-found"]').getByText("Asset type not found").waitFor();
    assertClean(watch, [/status of 404/]);
    await watch.context.close();

    const finance = await addMember(api, tenant, "FINANCE");
    const asFinance = await openPortal(browser, api.url);
    await asFinance.page.goto("/models");
    await asFinance.page.getByLabel(/^(Email|E-Mail)/).fill(finance.email);
    await asFinance.page.getByLabel(/^(Password|Passwort)/).fill(PASSWORD);
    await asFinance.page.getByRole("button", { name: /^(Sign in|Anmelden)$/ }).click();
    const refusal = asFinance.page.getByRole("alert");
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? "";
    assert.match(text, /Could not load the models/);
    assert.match(text, /(assets|models):read/);
    assert.match(text, /Request id: req_[0-9a-f]+/);
    assertClean(asFinance, [/status of 403/]);
    await asFinance.context.close();
  });
});
