import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { WorkflowHandle } from "@temporalio/client";
import type { Browser } from "playwright-core";
import { Webhook } from "standardwebhooks";
import * as g from "./generated/graphql.js";
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
import { type Api, addMember, gql, gqlOk, newFleet, newTenant, PASSWORD, startApi, testConfig } from "./support/harness.js";
import { deliverNewAlert, signInAnyLanguage, standardHeaders, startReceiver } from "./support/portal-developers.js";
import { type RunningWorker, startWorker, temporalClient } from "./support/worker.js";

let api: Api;
let browser: Browser;
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof temporalClient>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const started: WorkflowHandle[] = [];

before(async () => {
  receiver = await startReceiver();
  // The tests' receivers run on 127.0.0.1 over http: allowed for this API only (every other internal address stays blocked).
  const config = testConfig({ WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOWED_ADDRESSES: "127.0.0.1" });
  api = await startApi(config);
  worker = await startWorker(api, config);
  temporal = await temporalClient();
  browser = await launchChromium();
});

after(async () => {
  for (const handle of started) await handle.terminate("test done").catch(() => undefined);
  await browser?.close();
  await temporal?.close();
  await worker?.close();
  await api?.close();
  await receiver?.close();
});

/** Signed in on /developers, the page's sections settled. */
async function openDevelopers(watch: PageWatch, email: string) {
  await watch.page.goto("/developers");
  await signIn(watch, email);
  await watch.page.getByRole("navigation", { name: "Main" }).getByRole("link").first().waitFor();
}

const graphqlAs = (key: string, query: string, variables: Record<string, unknown> = {}) =>
  fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  }).then(
    async (r) => (await r.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] },
  );

describe("the Developers page", () => {
  it("an admin creates a telemetry:read key in the browser: it reads telemetry, is refused writes, and is refused once revoked", async () => {
    const owner = await newTenant(api, "Key Works");
    const fleet = await newFleet(api, owner, { assets: 1, sensors: ["s1"] });
    const asset = fleet.assets[0]?.id ?? "";
    // A point an hour ago (within the free plan's retention).
    const at = Math.floor(Date.now() / 1000) - 3600;
    const written = await fetch(`${api.url}/api/v2/write?bucket=b&precision=s`, {
      method: "POST",
      headers: { authorization: `Token ${fleet.deviceToken}` },
      body: `turbofan,asset=engine_1 s1=42.5 ${at}`,
    });
    assert.equal(written.status, 204);
    const admin = await addMember(api, owner, "ADMIN");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openDevelopers(watch, admin.email);
    await page.getByRole("heading", { name: "Developers", level: 1 }).waitFor();
    await page.getByText("No API keys yet.").waitFor();
    await page.locator("summary", { hasText: "Create API key" }).click();
    const form = page.getByRole("form", { name: "New API key" });

    // Only the admin's own scopes are offered: billing:write (the owner's alone) is not.
    const offered = await form
      .getByRole("checkbox")
      .evaluateAll((boxes) => boxes.map((b) => b.parentElement?.querySelector("code")?.textContent ?? ""));
    assert.ok(offered.includes("telemetry:read") && offered.includes("apikeys:write"), offered.join(", "));
    assert.ok(!offered.includes("billing:write"), "billing:write is not offered to an admin");
    assert.ok(offered.includes("models:promote"), "an admin holds models:promote, so it is offered");
    const forced = await gql(api, g.CreateApiKeyDocument, { input: { name: "forced", scopes: ["billing:write"] } }, admin.token);
    assert.equal(forced.errors?.[0]?.extensions?.code, "FORBIDDEN", "and the API refuses it when forced");

    await form.getByRole("button", { name: "Create key" }).click();
    await form.getByText("Give the key a name.").waitFor();
    await form.getByText("Choose at least one scope.").waitFor();
    await form.getByLabel("Name", { exact: true }).fill("Partner dashboard");
    await form.getByRole("checkbox", { name: "telemetry:read" }).check();
    await form.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.getByTestId("api-key-secret").textContent()) ?? "";
    assert.match(secret, /^pdm_[0-9a-z]{12}_[A-Za-z0-9_-]{43}$/);
    await page.getByRole("button", { name: "Copy" }).waitFor();
    const row = page.locator("tr[data-key-id]", { hasText: "Partner dashboard" });
    await row.waitFor();
    assert.match((await row.textContent()) ?? "", /telemetry:read.*by ADMIN person.*Never.*Active/);
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 1100, height: 1750 });
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, "developers");
    await page.setViewportSize({ width: 1100, height: 700 });

    // The key reads telemetry through /graphql…
    const read = await graphqlAs(
      secret,
      "query($a: ID!, $from: DateTimeISO!, $to: DateTimeISO!) { telemetry(assetId: $a, from: $from, to: $to) { sensors values } }",
      { a: asset, from: new Date((at - 60) * 1000).toISOString(), to: new Date((at + 60) * 1000).toISOString() },
    );
    assert.equal(read.errors, undefined, JSON.stringify(read.errors));
    assert.deepEqual(read.data?.telemetry, { sensors: ["s1"], values: [[42.5]] });
    // …and is refused a write: a GraphQL mutation and the write endpoint.
    const mutation = await graphqlAs(
      secret,
      'mutation { recordMaintenanceEvent(input: { assetId: "x", kind: REPAIR, occurredAt: "2026-01-01T00:00:00Z" }) { id } }',
    );
    assert.equal(mutation.errors?.[0]?.extensions?.code, "FORBIDDEN");
    const write = await fetch(`${api.url}/api/v2/write?bucket=b&precision=s`, {
      method: "POST",
      headers: { authorization: `Token ${secret}` },
      body: `turbofan,asset=engine_1 s1=1 ${at + 1}`,
    });
    assert.equal(write.status, 401, "the write endpoint takes device tokens only");

    await page.reload();
    await row.waitFor();
    assert.doesNotMatch((await row.locator("td").nth(4).textContent()) ?? "", /Never/, "last used is shown");
    await row.getByRole("button", { name: "Revoke key Partner dashboard" }).click();
    await row.getByRole("button", { name: "Revoke now" }).click();
    await page.locator('tr[data-revoked="true"]', { hasText: "Partner dashboard" }).waitFor();
    const refused = await graphqlAs(secret, "{ viewer { scopes } }");
    assert.equal(refused.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
    assertClean(watch);
    await watch.context.close();
  });

  it("an owner adds a webhook, a test event arrives signed and is logged with its status; failures and retries show; disabling stops deliveries", async () => {
    const owner = await newTenant(api, "Hook Works");
    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openDevelopers(watch, owner.ownerEmail);
    await page.getByText("No webhooks yet.").waitFor();

    const addWebhook = async (path: string) => {
      const panel = page.locator("details", { has: page.locator("summary", { hasText: "Add webhook" }) });
      if ((await panel.getAttribute("open")) === null) await panel.locator("summary").click();
      const form = page.getByRole("form", { name: "New webhook" });
      await form.getByLabel("URL").fill(receiver.url(path));
      await form.getByRole("button", { name: "Add webhook" }).click();
      // The list is fetched again after the answer: by then the form shows the new secret.
      const item = page.locator("li[data-webhook-id]", { hasText: receiver.url(path) });
      await item.waitFor();
      const secret = (await form.getByTestId("webhook-secret").textContent()) ?? "";
      return { secret, item, id: (await item.getAttribute("data-webhook-id")) ?? "" };
    };

    const ok = await addWebhook("/ok");
    assert.match(ok.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    await ok.item.getByText("Nothing sent yet.").waitFor();
    await ok.item.getByRole("button", { name: `Send test event to ${receiver.url("/ok")}` }).click();
    await ok.item.getByText("Test event delivered: status 204.").waitFor();
    const logged = ok.item.locator('tr[data-status="DELIVERED"][data-status-code="204"]');
    await logged.waitFor();
    const deliveryId = (await logged.getAttribute("data-delivery-id")) ?? "";
    const hit = receiver.hits.find((h) => h.headers["webhook-id"] === deliveryId);
    assert.ok(hit, "the receiver got the logged event");
    const payload = new Webhook(ok.secret).verify(hit.body, standardHeaders(hit)) as { type: string; webhookId: string };
    assert.deepEqual([payload.type, payload.webhookId], ["webhook.test", ok.id], "signed with the secret shown once");

    const failing = await addWebhook("/fail");
    await failing.item.getByRole("button", { name: `Send test event to ${receiver.url("/fail")}` }).click();
    await failing.item.getByText("Test event not delivered: receiver error (5xx) (500).").waitFor();
    await failing.item.locator('tr[data-status="FAILED"][data-status-code="500"]').waitFor();
    const flaky = await addWebhook("/flaky");
    assert.deepEqual(await axeViolations(page), []);

    // Disabling: gone from the list, and the next alert is not sent to it.
    await failing.item.getByRole("button", { name: `Disable webhook ${receiver.url("/fail")}` }).click();
    await failing.item.getByRole("button", { name: "Disable now" }).click();
    await failing.item.waitFor({ state: "detached" });
    const failHits = receiver.hits.filter((h) => h.path === "/fail").length;

    // An alert to the live webhooks: the flaky receiver refuses the first attempt, and the log shows the retry.
    const { alertId, result } = await deliverNewAlert(api, temporal.client, owner, started);
    assert.deepEqual(result, { delivered: 2, failed: 0 });
    assert.equal(receiver.hits.filter((h) => h.path === "/fail").length, failHits, "the disabled webhook got nothing");
    await flaky.item.getByRole("button", { name: "Refresh" }).click();
    const retried = flaky.item.locator(`tr[data-delivery-id="${alertId}:${flaky.id}"]`);
    await retried.waitFor();
    assert.deepEqual(
      [
        await retried.getAttribute("data-status"),
        await retried.getAttribute("data-attempts"),
        await retried.getAttribute("data-status-code"),
      ],
      ["DELIVERED", "2", "204"],
    );
    assert.match((await retried.textContent()) ?? "", /1 retry/);
    await ok.item.getByRole("button", { name: "Refresh" }).click();
    await ok.item.locator(`tr[data-delivery-id="${alertId}:${ok.id}"][data-attempts="1"]`).waitFor();
    // A receiver that answers 500: the test event shows the failure and its status.
    const failingToo = await addWebhook("/fail-too");
    await failingToo.item.getByRole("button", { name: `Send test event to ${receiver.url("/fail-too")}` }).click();
    await failingToo.item.locator('tr[data-status="FAILED"][data-status-code="500"]').waitFor();
    await page.locator("summary", { hasText: "Add webhook" }).click();
    await page.setViewportSize({ width: 1100, height: 1650 });
    await page.evaluate('document.getElementById("hooks-title").scrollIntoView()');
    await screenshot(page, "developers-webhooks");
    const { webhooks } = await gqlOk(api, g.WebhooksDocument, {}, owner.token);
    assert.deepEqual(webhooks.map((w) => w.id).sort(), [ok.id, flaky.id, failingToo.id].sort(), "the disabled one is not listed");
    assertClean(watch);
    await watch.context.close();
  });

  it("a viewer has no Developers link; an engineer reads keys and webhooks without a write control", async () => {
    const owner = await newTenant(api, "Role Works");
    await gqlOk(api, g.CreateApiKeyDocument, { input: { name: "ERP integration", scopes: ["assets:read"] } }, owner.token);
    await gqlOk(api, g.CreateWebhookDocument, { url: receiver.url("/roles") }, owner.token);
    const viewer = await addMember(api, owner, "VIEWER");
    const engineer = await addMember(api, owner, "ENGINEER");

    const viewerWatch = await openPortal(browser, api.url);
    await openDevelopers(viewerWatch, viewer.email);
    const nav = viewerWatch.page.getByRole("navigation", { name: "Main" });
    assert.equal(await nav.getByRole("link", { name: "Developers" }).count(), 0);
    await viewerWatch.page.getByText('This operation needs the "apikeys:read" scope.').waitFor();
    assert.deepEqual(await writeControls(viewerWatch.page), []);
    assertClean(viewerWatch, [/status of 403/]);
    await viewerWatch.context.close();

    const watch = await openPortal(browser, api.url);
    const { page } = watch;
    await openDevelopers(watch, engineer.email);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Developers" }).waitFor();
    await page.locator("tr[data-key-id]", { hasText: "ERP integration" }).waitFor();
    await page
      .locator("li[data-webhook-id]", { hasText: receiver.url("/roles") })
      .getByText("Nothing sent yet.")
      .waitFor();
    await page.getByText("creating and revoking them needs the apikeys:write scope").waitFor();
    assert.deepEqual(await writeControls(page), []);
    assert.equal(await page.getByText("Create API key").count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    assertClean(watch);
    await watch.context.close();
  });

  it("renders in German", async () => {
    const owner = await newTenant(api, "Schlüssel GmbH");
    await gqlOk(api, g.CreateApiKeyDocument, { input: { name: "Leitstand", scopes: ["telemetry:read"] } }, owner.token);
    const options = { timezoneId: "Europe/Berlin", locale: "de-DE" };
    const watch = await openPortal(browser, api.url, options);
    const { page } = watch;
    await page.goto("/developers");
    await signInAnyLanguage(page, owner.ownerEmail, PASSWORD);
    await page.getByRole("heading", { name: "Entwickler", level: 1 }).waitFor();
    await page.getByRole("heading", { name: "API-Schlüssel", level: 2 }).waitFor();
    await page.getByRole("columnheader", { name: "Zuletzt genutzt" }).waitFor();
    await page.locator("tr[data-key-id]", { hasText: "Nie" }).waitFor();
    await page.locator("summary", { hasText: "API-Schlüssel erstellen" }).click();
    await page.getByRole("group", { name: "Berechtigungen" }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.setViewportSize({ width: 1100, height: 1300 });
    await page.evaluate("window.scrollTo(0, 0)");
    await screenshot(page, "developers-de");
    assertClean(watch);
    await watch.context.close();
  });
});
