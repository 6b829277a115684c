import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { WorkflowHandle } from "@temporalio/client";
import { Webhook } from "standardwebhooks";
import { DELIVER_ALERT } from "../src/alerts/index.js";
import { newId } from "../src/core/ids.js";
import { startWorkflow } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { type Api, addMember, gql, gqlOk, newFleet, newTenant, startApi, testConfig } from "./support/harness.js";
import { seedAlert } from "./support/models.js";
import { type RunningWorker, startWorker, temporalClient } from "./support/worker.js";

interface Hit {
  readonly path: string;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/** A receiver on 127.0.0.1: /fail answers 500, /flaky refuses its first request with 500, anything else 204. */
async function startReceiver() {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      const first = !hits.some((h) => h.path === path);
      hits.push({ path, body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.writeHead(path === "/fail" || (path === "/flaky" && first) ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const standardHeaders = (hit: Hit) =>
  Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [name, String(hit.headers[name] ?? "")]));

describe("webhook test events and the delivery log", () => {
  let api: Api;
  let strict: Api;
  let worker: RunningWorker;
  let temporal: Awaited<ReturnType<typeof temporalClient>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const started: WorkflowHandle[] = [];

  before(async () => {
    receiver = await startReceiver();
    const config = testConfig({ WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOWED_ADDRESSES: "127.0.0.1" });
    api = await startApi(config);
    // Loopback allowed on another port only: the receiver's address is internal to this API.
    strict = await startApi(testConfig({ WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOWED_ADDRESSES: "127.0.0.1:9" }));
    worker = await startWorker(api, config);
    temporal = await temporalClient();
  });
  after(async () => {
    for (const handle of started) await handle.terminate("test done").catch(() => undefined);
    await temporal?.close();
    await worker?.close();
    await strict?.close();
    await api?.close();
    await receiver?.close();
  });

  it("sends a test event signed with the webhook's secret and records it with the receiver's status", async () => {
    const owner = await newTenant(api, "Test Event Ltd");
    const { createWebhook } = await gqlOk(api, g.CreateWebhookDocument, { url: receiver.url("/ok") }, owner.token);
    const { sendTestWebhook } = await gqlOk(api, g.SendTestWebhookDocument, { id: createWebhook.webhook.id }, owner.token);
    assert.equal(sendTestWebhook.event, "TEST");
    assert.equal(sendTestWebhook.status, "DELIVERED");
    assert.equal(sendTestWebhook.lastOutcome, "DELIVERED");
    assert.equal(sendTestWebhook.statusCode, 204);
    assert.equal(sendTestWebhook.attempts, 1);

    const hit = receiver.hits.find((h) => h.headers["webhook-id"] === sendTestWebhook.id);
    assert.ok(hit, "the receiver got the event under the logged id");
    const payload = new Webhook(createWebhook.secret).verify(hit.body, standardHeaders(hit)) as Record<string, unknown>;
    assert.equal(payload.type, "webhook.test");
    assert.equal(payload.webhookId, createWebhook.webhook.id);
    assert.equal(payload.deliveryId, sendTestWebhook.id);
    assert.equal(payload.tenantId, owner.tenantId);

    const { webhookDeliveries } = await gqlOk(api, g.WebhookDeliveriesDocument, { webhookId: createWebhook.webhook.id }, owner.token);
    assert.deepEqual(webhookDeliveries, [sendTestWebhook]);
  });

  it("records a refused test event as failed with the status, tries it once, and counts test events per minute", async () => {
    const owner = await newTenant(api, "Failing Receiver Ltd");
    const { createWebhook } = await gqlOk(api, g.CreateWebhookDocument, { url: receiver.url("/fail") }, owner.token);
    const before = receiver.hits.filter((h) => h.path === "/fail").length;
    const { sendTestWebhook } = await gqlOk(api, g.SendTestWebhookDocument, { id: createWebhook.webhook.id }, owner.token);
    assert.deepEqual(
      [sendTestWebhook.status, sendTestWebhook.lastOutcome, sendTestWebhook.statusCode, sendTestWebhook.deliveredAt],
      ["FAILED", "FAILED", 500, null],
    );
    assert.equal(receiver.hits.filter((h) => h.path === "/fail").length, before + 1, "one attempt, no retry");

    for (let i = 1; i < 5; i++) await gqlOk(api, g.SendTestWebhookDocument, { id: createWebhook.webhook.id }, owner.token);
    const sixth = await gql(api, g.SendTestWebhookDocument, { id: createWebhook.webhook.id }, owner.token);
    assert.equal(sixth.errors?.[0]?.extensions?.code, "RATE_LIMITED");
    assert.match(sixth.errors?.[0]?.message ?? "", /at most 5 test events a minute/);
    assert.equal(receiver.hits.filter((h) => h.path === "/fail").length, before + 5, "the refused one was not sent");
    const log = await gqlOk(api, g.WebhookDeliveriesDocument, { webhookId: createWebhook.webhook.id, first: 50 }, owner.token);
    assert.equal(log.webhookDeliveries.length, 5);
  });

  it("checks the address again when sending: a URL that turned internal is blocked, not contacted", async () => {
    const owner = await newTenant(api, "Blocked Test Ltd");
    const { createWebhook } = await gqlOk(api, g.CreateWebhookDocument, { url: receiver.url("/blocked") }, owner.token);
    const { sendTestWebhook } = await gqlOk(strict, g.SendTestWebhookDocument, { id: createWebhook.webhook.id }, owner.token);
    assert.deepEqual(
      [sendTestWebhook.status, sendTestWebhook.lastOutcome, sendTestWebhook.statusCode],
      ["FAILED", "BLOCKED_ADDRESS", null],
    );
    assert.equal(receiver.hits.filter((h) => h.path === "/blocked").length, 0);
  });

  it("refuses a disabled webhook, and a member without tenant:write", async () => {
    const owner = await newTenant(api, "Disabled Test Ltd");
    const { createWebhook } = await gqlOk(api, g.CreateWebhookDocument, { url: receiver.url("/ok") }, owner.token);
    const engineer = await addMember(api, owner, "ENGINEER");
    const refused = await gql(api, g.SendTestWebhookDocument, { id: createWebhook.webhook.id }, engineer.token);
    assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
    const log = await gqlOk(api, g.WebhookDeliveriesDocument, { webhookId: createWebhook.webhook.id }, engineer.token);
    assert.deepEqual(log.webhookDeliveries, [], "the engineer reads the log");

    await gqlOk(api, g.DisableWebhookDocument, { id: createWebhook.webhook.id }, owner.token);
    const disabled = await gql(api, g.SendTestWebhookDocument, { id: createWebhook.webhook.id }, owner.token);
    assert.equal(disabled.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(disabled.errors?.[0]?.message ?? "", /is disabled/);
  });

  it("lists an alert's delivery with its retries beside test events, newest first", async () => {
    const owner = await newTenant(api, "Retry Log Ltd");
    const { createWebhook } = await gqlOk(api, g.CreateWebhookDocument, { url: receiver.url("/flaky") }, owner.token);
    const fleet = await newFleet(api, owner, { assets: 1, sensors: ["s1"] });
    const alertId = await seedAlert(api, owner, { assetId: fleet.assets[0]?.id ?? "", predictionId: newId("prediction") });
    const handle = await startWorkflow(temporal.client, DELIVER_ALERT, {
      workflowId: `deliver-${alertId}`,
      args: [{ tenantId: owner.tenantId, alertId }],
    });
    started.push(handle);
    assert.deepEqual(await handle.result(), { delivered: 1, failed: 0 });
    const { sendTestWebhook } = await gqlOk(api, g.SendTestWebhookDocument, { id: createWebhook.webhook.id }, owner.token);

    const { webhookDeliveries } = await gqlOk(api, g.WebhookDeliveriesDocument, { webhookId: createWebhook.webhook.id }, owner.token);
    assert.deepEqual(
      webhookDeliveries.map((d) => [d.id, d.event, d.status, d.attempts, d.statusCode]),
      [
        [sendTestWebhook.id, "TEST", "DELIVERED", 1, 204],
        [`${alertId}:${createWebhook.webhook.id}`, "ALERT_RAISED", "DELIVERED", 2, 204],
      ],
    );
    assert.equal(webhookDeliveries[1]?.alertId, alertId);
  });
});
