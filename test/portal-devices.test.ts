import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import { CreateDeviceDocument, DeviceDiagnosticsDocument } from "./generated/graphql.js";
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
import { type Api, addMember, gqlOk, newFleet, newTenant, PASSWORD, type TestTenant } from "./support/harness.js";
import {
  DeviceEndpointsDocument,
  mosquittoValues,
  publishOnce,
  runNodeSnippet,
  runShell,
  snippetText,
  startApiAtPublicUrl,
  tallScreenshot,
} from "./support/portal-devices.js";
import { countPoints, waitFor, writeV2 } from "./support/telemetry.js";

let api: Api;
let browser: Browser;

before(async () => {
  api = await startApiAtPublicUrl();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await api?.close();
});

/** Signed in on `path`, with the shell's navigation shown (the role is known, so the write controls are settled). */
async function openAs(watch: PageWatch, email: string, path: string) {
  await watch.page.goto(path);
  await signIn(watch, email);
  await watch.page.getByRole("navigation", { name: "Main" }).getByRole("link").first().waitFor();
}

async function noAxeViolations(page: Page, where: string) {
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${where}`);
}

const points = (t: TestTenant) => countPoints(api, t.tenantId, "turbofan", "s1");
const untilPoints = (t: TestTenant, n: number) => waitFor(`${n} points`, async () => ((await points(t)) === n ? true : undefined), 15_000);

/** A company with two engines (sensors s1, s2) and the fleet's own gateway device, created through the API. */
async function company(name: string) {
  const owner = await newTenant(api, name);
  const fleet = await newFleet(api, owner, { assets: 2, sensors: ["s1", "s2"] });
  return { owner, fleet };
}

describe("the devices pages", () => {
  it("a device and token created in the browser write over HTTP and MQTT with the snippets' values; revoked in the browser, both are refused", async () => {
    const { owner, fleet } = await company("Device Works");
    const engineer = await addMember(api, owner, "ENGINEER");
    const watch = await openPortal(browser, api.url);
    await watch.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: api.url });
    const { page } = watch;
    await openAs(watch, engineer.email, "/devices");
    const gatewayRow = page.locator(`tr[data-device-id="${fleet.deviceId}"]`);
    await gatewayRow.waitFor();
    assert.match((await gatewayRow.textContent()) ?? "", /Gateway.*Engine 1, Engine 2.*Never/);
    await noAxeViolations(page, "the device list");

    // The form: a missing name is named next to the field; then a name and one asset.
    await page.getByRole("button", { name: "Add a device" }).click();
    const form = page.getByRole("form", { name: "Add a device" });
    await form.getByRole("button", { name: "Add device and issue its token" }).click();
    await form.getByText("Give the device a name.").waitFor();
    await form.getByLabel("Name").fill("Hall 3 gateway");
    await form.getByLabel("Filter assets").fill("engine_1");
    await form.getByLabel(/Engine 1/).check();
    await form.getByText("1 asset chosen").waitFor();
    await noAxeViolations(page, "the form to add a device");
    await screenshot(page, "devices-add");
    await form.getByRole("button", { name: "Add device and issue its token" }).click();

    // The token, shown once, and its copy button.
    const panel = page.getByRole("region", { name: "Token for Hall 3 gateway" });
    const token = await panel.getByLabel("Token", { exact: true }).inputValue();
    assert.match(token, /^pdmd_[0-9a-z]{12}_[A-Za-z0-9_-]{43}$/);
    await panel.getByRole("button", { name: "Copy token" }).click();
    await panel.getByRole("button", { name: "Copied" }).waitFor();
    assert.equal(await page.evaluate("navigator.clipboard.readText()"), token);

    // The snippets hold the API's answer: compare with what the API says of the device.
    const mosquitto = await snippetText(page, /^mosquitto_pub$/, "turbofan,asset=engine_1 s1=21.5");
    await noAxeViolations(page, "the token shown once");
    await tallScreenshot(page, "devices-token", 1150);
    const created = page.locator("tr[data-device-id]").filter({ hasText: "Hall 3 gateway" });
    await created.waitFor();
    const deviceId = (await created.getAttribute("data-device-id")) ?? "";
    const { device } = await gqlOk(api, DeviceEndpointsDocument, { id: deviceId }, owner.token);
    const mq = mosquittoValues(mosquitto);
    assert.equal(mq.password, token);
    assert.equal(mq.topicUrl, `${device.endpoints.mqttUrl}/${device.endpoints.mqttTopic}`);
    assert.equal(mq.username, mq.clientId);
    assert.match(mq.username, /^pdmd_[0-9a-z]{12}$/);
    assert.ok(token.startsWith(`${mq.username}_`));
    const curl = await snippetText(page, /^curl$/, "engine_1");
    assert.ok(curl.includes(`'${device.endpoints.httpWriteUrl}?org=`), curl);
    const node = await snippetText(page, /^Node\.js client$/, "engine_1");
    assert.ok(node.includes(`url: "${api.url}", token: "${token}"`), node);
    const telegraf = await snippetText(page, /^Telegraf$/, "outputs.influxdb_v2");
    assert.ok(telegraf.includes(`urls = ["${api.url}"]`) && telegraf.includes(`token = "${token}"`), telegraf);
    const python = await snippetText(page, /^Python client$/, "engine_1");
    assert.ok(python.includes(`InfluxDBClient(url="${api.url}", token="${token}"`), python);

    // Run as pasted: mosquitto_pub, curl and the Node client each deliver a point.
    const before = await points(owner);
    const published = await runShell(mosquitto);
    assert.equal(published.code, 0, published.out);
    await untilPoints(owner, before + 1);
    const posted = await runShell(curl);
    assert.match(posted.out, /^HTTP\/1\.1 204/m, posted.out);
    await untilPoints(owner, before + 2);
    const noded = await runNodeSnippet(node);
    assert.equal(noded.code, 0, noded.out);
    await untilPoints(owner, before + 3);

    // The test's own writes with exactly the snippet's values: /api/v2/write and the MQTT client.
    const now = BigInt(Date.now()) * 1_000_000n;
    const http = await writeV2(api, token, `turbofan,asset=engine_1 s1=30.5 ${now}`);
    assert.equal(http.status, 204, JSON.stringify(http.body));
    await publishOnce(mq, device.endpoints.mqttTopic, `turbofan,asset=engine_1 s1=31.5 ${now + 1000n}`);
    await untilPoints(owner, before + 5);
    // A refused batch (a string for a number) shows as the last refusal.
    const refused = await writeV2(api, token, 'turbofan,asset=engine_1 s1="hot"');
    assert.equal(refused.status, 400);

    // Leaving the page forgets the token; the list shows the last delivery after a reload.
    await created.getByRole("link", { name: "Hall 3 gateway" }).click();
    await page.getByRole("heading", { level: 1, name: "Hall 3 gateway" }).waitFor();
    assert.ok(!(await page.content()).includes(token), "the token is not shown on the device page");
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Devices" }).waitFor();
    await created.waitFor();
    assert.ok(!(await page.content()).includes(token), "the token is not shown again on the list");
    await page.reload();
    const delivered = created.locator('[data-cell="last-delivery"] time');
    await delivered.waitFor();
    assert.match((await delivered.textContent()) ?? "", / over (HTTP|MQTT)$/);
    assert.match((await created.textContent()) ?? "", /5 accepted · 1 refused.*Last refused: VALIDATION/);
    assert.ok(!(await page.content()).includes(token));
    await screenshot(page, "devices");

    // The device page: both protocols' last write, the counts and the refusal in full.
    await created.getByRole("link", { name: "Hall 3 gateway" }).click();
    const diagnostics = page.locator('[data-section="diagnostics"]');
    await diagnostics.locator('[data-fact="last-mqtt"] time').waitFor();
    await diagnostics.locator('[data-fact="last-http"] time').waitFor();
    const { device: seen } = await gqlOk(api, DeviceDiagnosticsDocument, { id: deviceId }, owner.token);
    assert.equal(seen.diagnostics.acceptedBatches, 5);
    assert.equal(await diagnostics.locator('[data-fact="accepted"]').textContent(), "5 batches, 5 points");
    assert.equal(await diagnostics.locator('[data-fact="refused"]').textContent(), "1 batch, 1 point");
    const refusal = (await diagnostics.locator('[data-fact="refusal"]').textContent()) ?? "";
    assert.ok(refusal.startsWith("VALIDATION") && refusal.includes("over HTTP · line 1"), refusal);
    assert.ok(refusal.includes(seen.diagnostics.lastRefusal?.message ?? "(none)"), refusal);
    await noAxeViolations(page, "the device page");
    await tallScreenshot(page, "devices-detail", 1150);

    // Revoked in the browser: refused over HTTP, and the broker refuses the MQTT connection.
    const tokenRow = page.locator(`tr[data-token-prefix="${mq.username.slice(5)}"]`);
    await tokenRow.getByRole("button", { name: `Revoke ${mq.username}` }).click();
    await tokenRow.getByText("The device's HTTP writes with it are refused at once").waitFor();
    await noAxeViolations(page, "the revoke confirmation");
    await tokenRow.getByRole("button", { name: "Revoke now" }).click();
    await page.locator(`tr[data-token-prefix="${mq.username.slice(5)}"][data-state="revoked"]`).waitFor();
    const afterRevoke = await writeV2(api, token, `turbofan,asset=engine_1 s1=32.5 ${now + 2000n}`);
    assert.equal(afterRevoke.status, 401);
    assert.match(String(afterRevoke.body.message), /revoked/);
    await assert.rejects(
      publishOnce(mq, device.endpoints.mqttTopic, "turbofan,asset=engine_1 s1=33.5"),
      /Not authorized|Bad User Name or Password/i,
    );
    const again = await runShell(mosquitto);
    assert.notEqual(again.code, 0, "mosquitto_pub with the revoked token fails");
    assert.equal(await points(owner), before + 5);
    assertClean(watch);
    await watch.context.close();
  });

  it("rotates a token (a new one, then the old revoked) and changes the device's assets", async () => {
    const { owner, fleet } = await company("Rotation Works");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, `/devices/${fleet.deviceId}`);
    await page.getByRole("heading", { level: 1, name: "Gateway" }).waitFor();
    await page.getByRole("button", { name: "Issue a new token" }).click();
    const panel = page.getByRole("region", { name: "Token for Gateway" });
    const fresh = await panel.getByLabel("Token", { exact: true }).inputValue();
    assert.notEqual(fresh, fleet.deviceToken);
    const old = fleet.mqttUsername;
    await panel.getByText("Once the device uses the new token, revoke the old one:").waitFor();
    await panel.locator("pre[data-snippet]").filter({ hasText: "engine_1" }).waitFor();
    await noAxeViolations(page, "a new token on the device page");
    await tallScreenshot(page, "devices-rotate", 1400);
    await panel.getByRole("button", { name: `Revoke ${old}` }).click();
    await panel.getByRole("button", { name: "Revoke now" }).click();
    await page.locator(`tr[data-token-prefix="${old.slice(5)}"][data-state="revoked"]`).waitFor();
    assert.equal(await page.locator('tr[data-token-prefix][data-state="active"]').count(), 1);
    const now = BigInt(Date.now()) * 1_000_000n;
    assert.equal((await writeV2(api, fleet.deviceToken, `turbofan,asset=engine_1 s1=1 ${now}`)).status, 401);
    assert.equal((await writeV2(api, fresh, `turbofan,asset=engine_1 s1=1 ${now}`)).status, 204);

    // The assets: only engine 1, so engine 2's points are refused; then both again.
    await page.getByRole("button", { name: "Change assets" }).click();
    const form = page.getByRole("form", { name: "Change assets" });
    await form.getByLabel(/Engine 2/).uncheck();
    await form.getByRole("button", { name: "Save assets" }).click();
    await page.getByText("Saved: the device now writes for 1 asset.").waitFor();
    assert.equal((await writeV2(api, fresh, `turbofan,asset=engine_2 s1=1 ${now + 1n}`)).status, 403);
    await page.getByRole("button", { name: "Change assets" }).click();
    await form.getByLabel(/Engine 2/).check();
    await form.getByRole("button", { name: "Save assets" }).click();
    await page.getByText("Saved: the device now writes for 2 assets.").waitFor();
    assert.equal((await writeV2(api, fresh, `turbofan,asset=engine_2 s1=1 ${now + 2n}`)).status, 204);
    // Putting the token away removes it from the page.
    await panel.getByRole("button", { name: "I have stored the token" }).click();
    await page.getByRole("button", { name: "Issue a new token" }).waitFor();
    assert.ok(!(await page.content()).includes(fresh));
    assertClean(watch);
    await watch.context.close();
  });

  it("a viewer sees the devices and their deliveries but no write control; finance gets the API's refusal", async () => {
    const { owner, fleet } = await company("Viewer Works");
    const viewer = await addMember(api, owner, "VIEWER");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, viewer.email, "/devices");
    await page.locator(`tr[data-device-id="${fleet.deviceId}"]`).waitFor();
    assert.deepEqual(await writeControls(page), []);
    await page.getByRole("link", { name: "Gateway" }).click();
    await page.getByRole("heading", { name: "Tokens" }).waitFor();
    await page.locator(`tr[data-token-prefix="${fleet.mqttUsername.slice(5)}"]`).waitFor();
    assert.deepEqual(await writeControls(page), []);
    await noAxeViolations(page, "the device page for a viewer");
    assertClean(watch);
    await watch.context.close();

    const finance = await addMember(api, owner, "FINANCE");
    const financeWatch = await openPortal(browser, api.url);
    await openAs(financeWatch, finance.email, "/devices");
    const alert = financeWatch.page.getByRole("alert");
    await alert.getByText("Could not load the devices").waitFor();
    assert.match((await alert.textContent()) ?? "", /Request id: \S+/);
    assert.equal(await financeWatch.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Devices" }).count(), 0);
    await noAxeViolations(financeWatch.page, "the devices page's error");
    assertClean(financeWatch, [/403 \(Forbidden\)|status of 4\d\d/]);
    await financeWatch.context.close();
  });

  it("shows the empty list, another company's device as not found, and German", async () => {
    const owner = await newTenant(api, "Empty Works");
    const { owner: other } = await company("Other Works");
    const { createDevice } = await gqlOk(api, CreateDeviceDocument, { input: { name: "Theirs", assetIds: [] } }, other.token);
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openAs(watch, owner.ownerEmail, "/devices");
    await page.getByText("No devices yet").waitFor();
    await page.getByText("Add a device to connect a gateway").waitFor();
    await noAxeViolations(page, "the empty device list");
    await screenshot(page, "devices-empty");
    await page.goto(`/devices/${createDevice.device.id}`);
    await page.getByRole("heading", { level: 1, name: "Device not found" }).waitFor();
    assertClean(watch);
    await watch.context.close();

    // German: the browser asks for de-DE; signed in through the form by its fields' types (whatever their language).
    const { owner: deOwner, fleet } = await company("Deutsche Werke");
    const de = await openPortal(browser, api.url, { locale: "de-DE" } as { timezoneId?: string });
    await de.page.goto("/devices");
    await de.page.locator("input[type=email]").fill(deOwner.ownerEmail);
    await de.page.locator("input[type=password]").fill(PASSWORD);
    await de.page.locator("button[type=submit]").click();
    await de.page.getByRole("heading", { level: 1, name: "Geräte" }).waitFor();
    await de.page.locator(`tr[data-device-id="${fleet.deviceId}"]`).waitFor();
    await de.page.getByRole("columnheader", { name: "Letzte Übertragung" }).waitFor();
    await de.page.getByRole("button", { name: "Gerät hinzufügen" }).click();
    await de.page.getByLabel("Anlagen filtern").waitFor();
    await de.page.getByText("0 Anlagen ausgewählt").waitFor();
    assert.equal(await de.page.title(), "Geräte · Vorausschauende Wartung");
    await noAxeViolations(de.page, "the device list in German");
    await screenshot(de.page, "devices-de");
    assertClean(de);
    await de.context.close();
  });
});
