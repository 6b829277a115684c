import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { WorkflowHandle } from "@temporalio/client";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { DELIVER_ALERT } from "../src/alerts/index.js";
import { createKeyCipher } from "../src/auth/key-encryption.js";
import { newId } from "../src/core/ids.js";
import { connectDb } from "../src/db/client.js";
import { startWorkflow } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { clientPath } from "./support/clients.js";
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

/** A port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A receiver of docs/webhooks.md, its code block written as it is beside the compiled tests (so the
 * Node one imports the repository's standardwebhooks; the Python one runs in the clients' virtualenv,
 * which has the Python package) and run on its own port.
 */
async function startDocumentedReceiver(language: "js" | "python", secret: string, port: number) {
  const docs = await readFile(fileURLToPath(new URL("../../docs/webhooks.md", import.meta.url)), "utf8");
  const code = [...docs.matchAll(new RegExp(`\`\`\`${language}\n([\\s\\S]*?)\`\`\``, "g"))]
    .map((m) => m[1] ?? "")
    .find((c) => /createServer|HTTPServer/.test(c));
  assert.ok(code, `docs/webhooks.md has the ${language} receiver`);
  const file = fileURLToPath(
    new URL(`./webhook-receiver-${randomBytes(4).toString("hex")}.${language === "js" ? "mjs" : "py"}`, import.meta.url),
  );
  await writeFile(file, code);
  const child: ChildProcess = spawn(language === "js" ? process.execPath : clientPath("python"), [file], {
    env: { ...process.env, PDM_WEBHOOK_SECRET: secret, PORT: String(port) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  const url = `http://127.0.0.1:${port}/hooks/pdm`;
  // Listening once an unsigned POST gets its 400.
  for (;;) {
    const answer = await fetch(url, { method: "POST", body: "{}" }).catch(() => undefined);
    if (answer) {
      assert.equal(answer.status, 400, "an unsigned request is refused");
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    output: () => stdout,
    async close() {
      child.kill();
      if (child.exitCode === null) await once(child, "exit");
      await rm(file, { force: true });
    },
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
    // Any port of 127.0.0.1: the test's receiver, and the documented one on a port of its own.
    const config = testConfig({ WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOWED_ADDRESSES: "127.0.0.1" });
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
    // One whose characters include the URL-safe ones (the prefix's own "_" does not count).
    let legacy = `whsec_${randomBytes(32).toString("base64url")}`;
    while (!/[-_]/.test(legacy.slice("whsec_".length))) legacy = `whsec_${randomBytes(32).toString("base64url")}`;
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

  for (const [language, name] of [
    ["js", "Node"],
    ["python", "Python"],
  ] as const)
    it(`the ${name} receiver of docs/webhooks.md accepts a real delivery and refuses a tampered one`, async () => {
      const owner = await newTenant(api, `Documented ${name} Hooks Ltd`);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/hooks/pdm`;
      const { createWebhook } = await gqlOk(api, g.CreateWebhookDocument, { url }, owner.token);
      const documented = await startDocumentedReceiver(language, createWebhook.secret, port);
      try {
        const { alertId, result } = await deliverAlert(owner);
        assert.deepEqual(result, { delivered: 1, failed: 0 }, "the receiver answered 204: the signature verified");
        assert.match(documented.output(), new RegExp(`alert\\.raised ${alertId}`));

        const body = JSON.stringify({ type: "alert.raised", deliveryId: "x", alert: { id: alertId } });
        const id = `${alertId}:${createWebhook.webhook.id}`;
        const now = new Date();
        const signed = {
          "content-type": "application/json",
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
          "webhook-signature": new Webhook(createWebhook.secret).sign(id, now, body),
        };
        assert.equal((await fetch(url, { method: "POST", headers: signed, body })).status, 204);
        const tampered = body.replace("alert.raised", "alert.resolved");
        assert.equal((await fetch(url, { method: "POST", headers: signed, body: tampered })).status, 400);
      } finally {
        await documented.close();
      }
    });
});
