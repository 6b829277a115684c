import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { WorkflowHandle } from "@temporalio/client";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { DELIVER_ALERT } from "../src/alerts/index.js";
import { createKeyCipher } from "../src/auth/key-encryption.js";
import { newId } from "../src/core/ids.js";
import { connectDb } from "../src/db/client.js";
import { startWorkflow } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { type Api, gqlOk, newFleet, newTenant, ownerUrl, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { seedAlert } from "./support/models.js";
import { type RunningWorker, startWorker, temporalClient } from "./support/worker.js";

interface Hit {
  readonly path: string;
  readonly status: number;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

/** A partner's endpoint on 127.0.0.1: /flaky refuses its first request with 500 (to see a retry), everything else answers 204. */
async function startReceiver() {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      const status = path === "/flaky" && !hits.some((h) => h.path === "/flaky") ? 500 : 204;
      hits.push({ path, status, body: Buffer.concat(chunks).toString("utf8"), headers: req.headers });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The three headers a Standard Webhooks library reads, as the receiver got them. */
function standardHeaders(hit: Hit): Record<string, string> {
  const pick = (name: string) => String(hit.headers[name] ?? "");
  return {
    "webhook-id": pick("webhook-id"),
    "webhook-timestamp": pick("webhook-timestamp"),
    "webhook-signature": pick("webhook-signature"),
  };
}

describe("alert webhooks in the Standard Webhooks format", () => {
  let api: Api;
  let worker: RunningWorker;
  let temporal: Awaited<ReturnType<typeof temporalClient>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const started: WorkflowHandle[] = [];

  /** An alert of a fresh asset of the tenant, delivered as a scoring run would; resolves when the workflow ends. */
  const deliverAlert = async (owner: TestTenant) => {
    const fleet = await newFleet(api, owner, { assets: 1, sensors: ["s1"] });
    const alertId = await seedAlert(api, owner, { assetId: fleet.assets[0]?.id ?? "", predictionId: newId("prediction") });
    const handle = await startWorkflow(temporal.client, DELIVER_ALERT, {
      workflowId: `deliver-${alertId}`,
      args: [{ tenantId: owner.tenantId, alertId }],
    });
    started.push(handle);
    return { alertId, result: await handle.result() };
  };

  before(async () => {
    receiver = await startReceiver();
    const config = testConfig({ WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOWED_ADDRESSES: `127.0.0.1:${receiver.port}` });
    api = await startApi(config);
    worker = await startWorker(api, config);
    temporal = await temporalClient();
  });
  after(async () => {
    for (const handle of started) await handle.terminate("test done").catch(() => undefined);
    await temporal?.close();
    await worker?.close();
    await api?.close();
    await receiver?.close();
  });

  it("signs a delivery so the standardwebhooks library verifies it; the retry keeps the webhook-id; a tampered body fails", async () => {
    const owner = await newTenant(api, "Standard Hooks Ltd");
    const { createWebhook } = await gqlOk(api, g.CreateWebhookDocument, { url: `http://127.0.0.1:${receiver.port}/flaky` }, owner.token);
    const { secret, webhook } = createWebhook;
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/, "whsec_ and the standard base64 of 32 bytes");

    const { alertId, result } = await deliverAlert(owner);
    assert.deepEqual(result, { delivered: 1, failed: 0 });
    const attempts = receiver.hits.filter((h) => h.path === "/flaky" && h.body.includes(alertId));
    assert.deepEqual(
      attempts.map((h) => h.status),
      [500, 204],
      "refused once, then accepted",
    );

    const ids = new Set(attempts.map((h) => h.headers["webhook-id"]));
    assert.deepEqual([...ids], [`${alertId}:${webhook.id}`], "one webhook-id across the attempts");
    for (const hit of attempts) {
      const payload = new Webhook(secret).verify(hit.body, standardHeaders(hit)) as {
        type: string;
        deliveryId: string;
        alert: { id: string };
      };
      assert.equal(payload.type, "alert.raised");
      assert.equal(payload.alert.id, alertId);
      assert.equal(payload.deliveryId, hit.headers["webhook-id"]);
      assert.match(String(hit.headers["webhook-signature"]), /^v1,[A-Za-z0-9+/]{43}=$/);
      assert.equal(hit.headers["x-pdm-signature"], undefined, "the former header is no longer sent");
    }

    const accepted = attempts[1];
    assert.ok(accepted);
    const headers = standardHeaders(accepted);
    const tampered = accepted.body.replace('"alert.raised"', '"alert.resolved"');
    assert.notEqual(tampered, accepted.body);
    assert.throws(() => new Webhook(secret).verify(tampered, headers), WebhookVerificationError, "a tampered body");
    const otherId = { ...headers, "webhook-id": `${newId("alert")}:${webhook.id}` };
    assert.throws(() => new Webhook(secret).verify(accepted.body, otherId), WebhookVerificationError, "another delivery's id");
    const otherSecret = `whsec_${randomBytes(32).toString("base64")}`;
    assert.throws(() => new Webhook(otherSecret).verify(accepted.body, headers), WebhookVerificationError, "another secret");
  });

  it("keeps the secrets issued before: the same 32 bytes, written in the standard alphabet, verify", async () => {
    const owner = await newTenant(api, "Older Hooks Ltd");
    // The form secrets had before: whsec_ and the URL-safe base64 of 32 bytes, unpadded.
    let legacy = `whsec_${randomBytes(32).toString("base64url")}`;
    while (!/[-_]/.test(legacy)) legacy = `whsec_${randomBytes(32).toString("base64url")}`;
    const db = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
    try {
      const sealed = createKeyCipher(testConfig().AUTH_KEY_ENCRYPTION_SECRET).encrypt(legacy);
      await db.sql`insert into webhooks (tenant_id, id, url, secret_sealed)
        values (${owner.tenantId}, ${newId("webhook")}, ${`http://127.0.0.1:${receiver.port}/legacy`}, ${sealed})`;
    } finally {
      await db.close();
    }
    const { alertId, result } = await deliverAlert(owner);
    assert.deepEqual(result, { delivered: 1, failed: 0 });
    const hit = receiver.hits.find((h) => h.path === "/legacy" && h.body.includes(alertId));
    assert.ok(hit);

    assert.throws(() => new Webhook(legacy).verify(hit.body, standardHeaders(hit)), "the library does not read the URL-safe form");
    const standard = `whsec_${legacy.slice("whsec_".length).replaceAll("-", "+").replaceAll("_", "/")}=`;
    const payload = new Webhook(standard).verify(hit.body, standardHeaders(hit)) as { alert: { id: string } };
    assert.equal(payload.alert.id, alertId);
  });
});
