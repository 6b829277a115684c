import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import type { WorkflowHandle } from "@temporalio/client";
import { print } from "graphql";
import { Webhook } from "standardwebhooks";
import { DELIVER_ALERT } from "../src/alerts/index.js";
import { createKeyCipher } from "../src/auth/key-encryption.js";
import { newId } from "../src/core/ids.js";
import { connectDb } from "../src/db/client.js";
import { startWorkflow } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { type Api, gql, gqlOk, newFleet, newTenant, ownerUrl, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { seedAlert } from "./support/models.js";
import { type RunningWorker, startWorker, temporalClient, waitFor } from "./support/worker.js";

interface Hit {
  readonly path: string;
  readonly body: string;
  /** The Standard Webhooks headers: webhook-id, webhook-timestamp, webhook-signature. */
  readonly headers: Record<string, string>;
}

/** An HTTP listener on 127.0.0.1 that records every request and answers by path. */
async function listen(answer: (req: IncomingMessage, res: import("node:http").ServerResponse) => void) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      hits.push({
        path: req.url ?? "",
        body: Buffer.concat(chunks).toString("utf8"),
        headers: Object.fromEntries(
          ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [name, String(req.headers[name] ?? "")]),
        ),
      });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every spelling of an internal destination, as a host of a URL. */
const INTERNAL_HOSTS = [
  "169.254.169.254",
  "0xa9.0xfe.0xa9.0xfe",
  "2852039166",
  "metadata.google.internal",
  "metadata.google.internal.",
  "10.0.0.5",
  "10.255.255.255",
  "012.1",
  "172.16.0.1",
  "192.168.0.1",
  "3232235521",
  "100.64.0.1",
  "127.0.0.1",
  "127.1",
  "127.0.1",
  "0",
  "0.0.0.0",
  "2130706433",
  "0x7f.1",
  "0x7f000001",
  "0177.0.0.1",
  "[::1]",
  "[0:0:0:0:0:0:0:1]",
  "[::]",
  "[fd00::1]",
  "[fc00::abcd]",
  "[fe80::1]",
  "[::ffff:127.0.0.1]",
  "[::ffff:7f00:1]",
  "[::ffff:169.254.169.254]",
  "[64:ff9b::7f00:1]",
  "[2002:a9fe:a9fe::1]",
  "[ff02::1]",
  "224.0.0.1",
  "255.255.255.255",
  "localhost",
  "localhost.",
  "LOCALHOST",
  "api.localhost",
  "db.internal",
  "printer.local",
  "influxdb",
];

describe("webhooks reach public hosts only", () => {
  let api: Api;
  let worker: RunningWorker;
  let temporal: Awaited<ReturnType<typeof temporalClient>>;
  let receiver: Awaited<ReturnType<typeof listen>>;
  let internal: Awaited<ReturnType<typeof listen>>;
  let tenant: TestTenant;
  const started: WorkflowHandle[] = [];
  const influxUrl = testConfig().INFLUX_URL;

  /** An alert of a fresh tenant's asset, and its delivery workflow started as a scoring run would. */
  const raiseAlert = async (owner: TestTenant) => {
    const fleet = await newFleet(api, owner, { assets: 1, sensors: ["s1"] });
    const alertId = await seedAlert(api, owner, { assetId: fleet.assets[0]?.id ?? "", predictionId: newId("prediction") });
    const handle = await startWorkflow(temporal.client, DELIVER_ALERT, {
      workflowId: `deliver-${alertId}`,
      args: [{ tenantId: owner.tenantId, alertId }],
    });
    started.push(handle);
    return { alertId, handle };
  };
  const deliveries = async (owner: TestTenant, alertId: string) =>
    (await gqlOk(api, g.AlertDeliveriesDocument, { alertId }, owner.token)).alertDeliveries;

  before(async () => {
    receiver = await listen((req, res) => {
      if (req.url === "/hooks") res.writeHead(204).end();
      else if (req.url === "/redirect") res.writeHead(302, { location: `http://127.0.0.1:${receiver.port}/followed` }).end();
      else if (req.url === "/teapot") res.writeHead(418, { "content-type": "text/plain" }).end("influxdb 1.8 says: unauthorized");
      else if (req.url === "/slow") return;
      else res.writeHead(200).end("followed");
    });
    internal = await listen((_req, res) => res.writeHead(401).end("an internal service"));
    const config = testConfig({
      WEBHOOK_ALLOW_HTTP: "true",
      WEBHOOK_ALLOWED_ADDRESSES: `127.0.0.1:${receiver.port}`,
      WEBHOOK_TIMEOUT_MS: "1000",
    });
    api = await startApi(config);
    worker = await startWorker(api, config);
    temporal = await temporalClient();
    tenant = await newTenant(api, "Webhook Rules Ltd");
  });
  after(async () => {
    for (const handle of started) await handle.terminate("test done").catch(() => undefined);
    await temporal?.close();
    await worker?.close();
    await api?.close();
    await receiver?.close();
    await internal?.close();
  });

  it("refuses every spelling of an internal destination when the webhook is created", async () => {
    const urls = INTERNAL_HOSTS.flatMap((host) =>
      ["https", "http"].flatMap((scheme) => [`${scheme}://${host}/latest/meta-data/`, `${scheme}://${host}:8086/query?q=SHOW+DATABASES`]),
    );
    urls.push(
      `http://127.0.0.1:${internal.port}/`,
      `http://[::ffff:127.0.0.1]:${internal.port}/`,
      influxUrl,
      "http://[fe80::1%25eth0]/",
      "https://user:secret@hooks.example.com/",
      "https://hooks.example.com:22/",
      "ftp://hooks.example.com/",
    );
    const accepted: string[] = [];
    for (const url of urls) {
      const result = await gql(api, g.CreateWebhookDocument, { url }, tenant.token);
      const error = result.errors?.[0];
      if (error?.extensions?.code !== "VALIDATION" || !/^(The webhook URL|Put no credentials)/.test(error.message))
        accepted.push(`${url} -> ${error?.extensions?.code ?? "OK"}`);
      const created = result.data?.createWebhook.webhook.id;
      if (created) await gqlOk(api, g.DisableWebhookDocument, { id: created }, tenant.token);
    }
    assert.deepEqual(accepted, [], "each of these is refused with VALIDATION");
    assert.deepEqual((await gqlOk(api, g.WebhooksDocument, {}, tenant.token)).webhooks, [], "none was stored");
    assert.equal(internal.hits.length, 0);
  });

  it("says what is wrong, in words a person can act on", async () => {
    const messages = await Promise.all(
      ["https://169.254.169.254/", "https://metadata.google.internal/", "http://hooks.example.com:25/", "https://[::1]/"].map(
        async (url) => (await gql(api, g.CreateWebhookDocument, { url }, tenant.token)).errors?.[0]?.message ?? "",
      ),
    );
    assert.deepEqual(messages, [
      "The webhook URL points to a link-local address (such as a cloud metadata service); use a public host name.",
      "The webhook URL points to an internal name (.internal); use a public host name.",
      "The webhook URL must use port 443, 80 or a port from 1024 up, not 25.",
      "The webhook URL points to a loopback address; use a public host name.",
    ]);
  });

  it("accepts public hosts and the operator's allow-listed address, normalised", async () => {
    const owner = await newTenant(api, "Public Hooks Ltd");
    const urls = [
      "https://hooks.example.com/pdm",
      "https://8.8.8.8/hooks",
      "https://[2606:4700:4700::1111]:8443/x",
      `http://127.0.0.1:${receiver.port}/hooks`,
    ];
    const stored = [];
    for (const url of urls) stored.push((await gqlOk(api, g.CreateWebhookDocument, { url }, owner.token)).createWebhook.webhook.url);
    assert.deepEqual(stored, urls);
    const short = await gqlOk(api, g.CreateWebhookDocument, { url: `http://127.1:${receiver.port}/hooks` }, owner.token);
    assert.equal(short.createWebhook.webhook.url, `http://127.0.0.1:${receiver.port}/hooks`);
  });

  it("never contacts internal targets of webhooks stored before these rules, and shows BLOCKED_ADDRESS, not their answer", async () => {
    const owner = await newTenant(api, "Old Hooks Ltd");
    const stored = [
      `http://127.0.0.1:${internal.port}/`,
      `http://localhost:${internal.port}/`,
      `http://2130706433:${internal.port}/`,
      `http://[::ffff:127.0.0.1]:${internal.port}/`,
      `${influxUrl}/query?q=SHOW+DATABASES`,
      "http://169.254.169.254/latest/meta-data/",
      "https://metadata.google.internal/computeMetadata/v1/",
      `http://user:secret@127.0.0.1:${receiver.port}/hooks`,
    ];
    const cipher = createKeyCipher(testConfig().AUTH_KEY_ENCRYPTION_SECRET);
    const db = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
    try {
      for (const url of stored) {
        await db.sql`insert into webhooks (tenant_id, id, url, secret_sealed)
          values (${owner.tenantId}, ${newId("webhook")}, ${url}, ${cipher.encrypt("whsec_old")})`;
      }
    } finally {
      await db.close();
    }
    const { alertId, handle } = await raiseAlert(owner);
    assert.deepEqual(await handle.result(), { delivered: 0, failed: stored.length });
    assert.equal(internal.hits.length, 0, "the internal service was never contacted");
    const rows = await deliveries(owner, alertId);
    assert.equal(rows.length, stored.length);
    for (const row of rows) {
      assert.equal(row.lastOutcome, "BLOCKED_ADDRESS");
      assert.equal(row.status, "failed");
      assert.equal(row.attempts, 1, "a blocked address is not retried");
    }
    assert.equal(receiver.hits.filter((h) => h.body.includes(alertId)).length, 0);
  });

  it("delivers to an allow-listed listener, signed; shows redirects, refusals and timeouts as outcomes only", async () => {
    const owner = await newTenant(api, "Allowed Hooks Ltd");
    const secrets = new Map<string, string>();
    for (const path of ["/hooks", "/redirect", "/teapot", "/slow"]) {
      const { createWebhook } = await gqlOk(api, g.CreateWebhookDocument, { url: `http://127.0.0.1:${receiver.port}${path}` }, owner.token);
      secrets.set(createWebhook.webhook.id, createWebhook.secret);
      secrets.set(path, createWebhook.webhook.id);
    }
    const { alertId } = await raiseAlert(owner);
    const rows = await waitFor("a first attempt at every webhook", 60_000, async () => {
      const now = await deliveries(owner, alertId);
      return now.length === 4 && now.every((d) => d.lastOutcome !== null) ? now : undefined;
    });
    const outcome = (path: string) => rows.find((d) => d.webhookId === secrets.get(path))?.lastOutcome;
    assert.equal(outcome("/hooks"), "DELIVERED");
    assert.equal(outcome("/redirect"), "REDIRECTED");
    assert.equal(outcome("/teapot"), "REJECTED");
    assert.equal(outcome("/slow"), "TIMEOUT");

    const delivered = receiver.hits.find((h) => h.path === "/hooks" && h.body.includes(alertId));
    assert.ok(delivered, "the allow-listed listener received the alert");
    const secret = secrets.get(secrets.get("/hooks") ?? "") ?? "";
    assert.ok(new Webhook(secret).verify(delivered.body, delivered.headers), "signed with the webhook's secret");
    assert.equal(receiver.hits.filter((h) => h.path === "/followed").length, 0, "the redirect was not followed");

    const raw = await fetch(`${api.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: print(g.AlertDeliveriesDocument), variables: { alertId } }),
    });
    const text = await raw.text();
    assert.doesNotMatch(text, /418|302|unauthorized|influxdb/i, "the answer has outcome classes, not the targets' status or text");
  });

  it("has no field that could carry a target's raw status or error", async () => {
    const { data } = await gql(api, g.WebhookDeliveryFieldsDocument, {}, tenant.token);
    assert.deepEqual(data?.__type?.fields?.map((f) => f.name).sort(), [
      "alertId",
      "attempts",
      "deliveredAt",
      "lastOutcome",
      "status",
      "webhookId",
    ]);
  });
});
