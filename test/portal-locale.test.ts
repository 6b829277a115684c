import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { applyRulRule } from "../src/alerts/raise.js";
import { workflowCall } from "../src/core/calls.js";
import { newId } from "../src/core/ids.js";
import { PlansDocument, RecordMaintenanceEventDocument, SetAlertRuleDocument } from "./generated/graphql.js";
import { assertClean, axeViolations, launchChromium, openPortal, screenshot } from "./support/browser.js";
import { type Api, gqlOk, newFleet, newTenant, startApi } from "./support/harness.js";
import { portalCatalogues } from "./support/portal-i18n.js";
import { documentLang, foundTelltales, settled, signInGerman, telltales, visibleText } from "./support/portal-locale.js";
import { msToNs, turbofanLine, writeV2 } from "./support/telemetry.js";

// The whole portal in German: every page an owner reaches, read against the English catalogue
// texts (taken from the source, as the catalogue check reads them), then switched to English.

const root = fileURLToPath(new URL("../../", import.meta.url));

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

/** A German date ("06.12.2026") and a German decimal ("501,1"). */
const GERMAN_DATE = /\d{2}\.\d{2}\.\d{4}/;
const GERMAN_DECIMAL = /\d,\d/;

/** Names the test data holds (the harness's owner is "Olivia Owner"): data, not the portal's words. */
const DATA = ["Olivia Owner"];

interface Walked {
  /** The address, with `{asset}` for the seeded asset's id. */
  readonly path: string;
  /** Formats the page must show in German, where it shows dates or figures. */
  readonly formats?: readonly RegExp[];
}

/** Every page an owner of the seeded company reaches; add a page here and the walk covers it. */
const PAGES: readonly Walked[] = [
  { path: "/fleet", formats: [/vor \d+ Minuten?|gerade eben|vor \d+ Sekunden?/] },
  { path: "/assets/{asset}", formats: [GERMAN_DATE, GERMAN_DECIMAL] },
  { path: "/assets/{asset}/maintenance", formats: [GERMAN_DATE] },
  { path: "/alerts", formats: [GERMAN_DATE] },
  { path: "/maintenance", formats: [GERMAN_DATE] },
  { path: "/finance" },
  { path: "/billing" },
  { path: "/usage" },
  { path: "/team" },
  { path: "/team/audit", formats: [GERMAN_DATE] },
  { path: "/devices" },
  { path: "/devices/{device}" },
  { path: "/developers" },
  { path: "/models" },
  { path: "/models/{type}" },
  { path: "/operator/sign-in" },
  { path: "/sign-up" },
  { path: "/invitation" },
  { path: "/no-such-page" },
];

/** A company with an engine that delivers, a maintenance event and an open alert, all within the last day. */
async function seededCompany() {
  const owner = await newTenant(api, "Locale Works");
  const fleet = await newFleet(api, owner, { assets: 2 });
  const [engine] = fleet.assets;
  assert.ok(engine);
  const lastMinute = Math.floor(Date.now() / 60_000) * 60_000;
  const lines = Array.from({ length: 90 }, (_, i) => turbofanLine("engine_1", i + 1, msToNs(lastMinute - i * 60_000))).join("\n");
  assert.equal((await writeV2(api, fleet.deviceToken, lines)).status, 204);
  await gqlOk(
    api,
    RecordMaintenanceEventDocument,
    { input: { assetId: engine.id, kind: "INSPECTION", occurredAt: new Date(lastMinute - 3_600_000).toISOString(), note: "Sichtprüfung" } },
    owner.token,
  );
  await gqlOk(api, SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 60, anomaly: true } }, owner.token);
  await workflowCall(api.services, { tenantId: owner.tenantId, workflowId: "wf_portal_locale" }, (ctx) =>
    applyRulRule(ctx, {
      assetTypeId: fleet.typeId,
      scores: [{ assetId: engine.id, predictionId: newId("prediction"), rul: 12, low: 8, high: 16, modelVersionId: "mdv_test" }],
    }),
  );
  return { owner, assetId: engine.id, deviceId: fleet.deviceId, typeId: fleet.typeId };
}

const lang = documentLang;

describe("the portal in German", () => {
  it("an owner in a German browser signs in and reads every page in German, then switches to English without a reload and keeps it", async () => {
    const { owner, assetId, deviceId, typeId } = await seededCompany();
    const catalogues = portalCatalogues(root);
    const english = telltales(catalogues, "en");
    const german = telltales(catalogues, "de");
    assert.ok(english.length > 300, `the English texts are read from the catalogues (${english.length})`);

    // A browser set to German (its languages and its zone); openPortal passes the options to the context.
    const germanBrowser = { timezoneId: "Europe/Berlin", locale: "de-DE" };
    const watch = await openPortal(browser, api.url, germanBrowser);
    const { page } = watch;
    await page.goto("/fleet");
    // The sign-in page itself, before anything else.
    await settled(page);
    assert.equal(await lang(page), "de");
    assert.deepEqual(await foundTelltales(page, english), [], "English on the sign-in page");
    assert.deepEqual(await axeViolations(page), [], "axe on the sign-in page");
    await signInGerman(page, owner.ownerEmail);
    await page.getByRole("heading", { name: "Flotte", level: 1 }).waitFor();

    // Plans are the platform's, named by whoever created them (other tests too): their names are data, not the portal's words.
    const planNames = (await gqlOk(api, PlansDocument, {}, owner.token)).plans.map((p) => p.name);
    const data = [...DATA, ...planNames];
    const problems: string[] = [];
    for (const walked of PAGES) {
      const path = walked.path.replace("{asset}", assetId).replace("{device}", deviceId).replace("{type}", typeId);
      await page.goto(path);
      await settled(page);
      if ((await lang(page)) !== "de") problems.push(`${path}: html lang="${await lang(page)}"`);
      for (const found of await foundTelltales(page, english, data)) problems.push(`${path}: English ${found}`);
      const text = await visibleText(page);
      for (const format of walked.formats ?? []) if (!format.test(text)) problems.push(`${path}: no text like ${format}`);
      for (const v of await axeViolations(page)) problems.push(`${path}: axe ${v.id} (${v.impact}, ${v.nodes} nodes)`);
    }
    assert.deepEqual(problems, []);

    await page.goto("/fleet");
    await page.locator("tr[data-asset-id]").first().waitFor();
    await settled(page);
    await screenshot(page, "fleet-de");

    // English through the select: the same document (no reload), every word changes.
    await page.evaluate("window.sameDocument = true");
    await page.getByLabel("Sprache").selectOption("en");
    await page.getByRole("heading", { name: "Fleet", level: 1 }).waitFor();
    assert.equal(await page.evaluate<boolean>("window.sameDocument === true"), true, "switched without a reload");
    assert.equal(await lang(page), "en");
    assert.deepEqual(await foundTelltales(page, german), [], "German left after the switch");
    assert.match((await page.locator("[data-col=seen] time").first().textContent()) ?? "", /ago|now/);
    await screenshot(page, "fleet-en");

    // The choice is remembered over the browser's German.
    await page.reload();
    await page.getByRole("heading", { name: "Fleet", level: 1 }).waitFor();
    assert.equal(await lang(page), "en");
    assert.equal(await page.getByLabel("Language").inputValue(), "en");
    assertClean(watch);
    await watch.context.close();
  });
});
