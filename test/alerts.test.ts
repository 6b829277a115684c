import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import { print } from "graphql";
import { createClient, type Client as WsClient } from "graphql-ws";
import { Webhook } from "standardwebhooks";
import WebSocket from "ws";
import { newId } from "../src/core/ids.js";
import type { TrainRequest } from "../src/mlops/index.js";
import { TRAIN_MODEL } from "../src/mlops/index.js";
import { startWorkflow } from "../src/temporal/starter.js";
import * as g from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import { type CmapssFleet, loadCmapss } from "./support/cmapss.js";
import { type Api, addMember, gql, gqlOk, newOperator, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { type RunningWorker, sleep, startWorker, temporalClient, waitFor } from "./support/worker.js";

interface Received {
  readonly body: string;
  /** The Standard Webhooks headers: webhook-id, webhook-timestamp, webhook-signature. */
  readonly headers: Record<string, string>;
}

/** A customer's webhook endpoint: refuses the very first call (to show the retry), then accepts. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  let calls = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      calls++;
      if (calls === 1) {
        res.writeHead(500).end("try again");
        return;
      }
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        headers: Object.fromEntries(
          ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => [name, String(req.headers[name] ?? "")]),
        ),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/hooks/pdm`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Collects what a tenant's alertRaised (or alertChanged) subscription delivers: the ids, and `id:STATUS` of each. */
function subscribe(
  api: Api,
  token: string,
  document: typeof g.AlertRaisedDocument | typeof g.AlertChangedDocument = g.AlertRaisedDocument,
): { client: WsClient; ids: string[]; states: string[]; errors: unknown[] } {
  const client = createClient({
    url: `${api.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
  });
  const ids: string[] = [];
  const states: string[] = [];
  const errors: unknown[] = [];
  client.subscribe<Record<string, { id: string; status: string }>>(
    { query: print(document) },
    {
      next: (value) => {
        const alert = value.data ? Object.values(value.data)[0] : undefined;
        if (alert) {
          ids.push(alert.id);
          states.push(`${alert.id}:${alert.status}`);
        }
        if (value.errors) errors.push(...value.errors);
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  return { client, ids, states, errors };
}

describe("alerts: raised once per episode, pushed to subscribers and webhooks, seen by support", () => {
  let api: Api;
  let worker: RunningWorker;
  let tenant: TestTenant;
  let other: TestTenant;
  let fleet: CmapssFleet;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let secret: string;
  let mine: ReturnType<typeof subscribe>;
  let theirs: ReturnType<typeof subscribe>;
  let myChanges: ReturnType<typeof subscribe>;
  let theirChanges: ReturnType<typeof subscribe>;

  const score = async () => {
    const { scoreFleet } = await gqlOk(api, g.ScoreFleetDocument, { assetTypeId: fleet.typeId }, tenant.token);
    return waitFor("scoring", 5 * 60_000, async () => {
      const { scoringRun } = await gqlOk(api, g.ScoringRunDocument, { id: scoreFleet }, tenant.token);
      return scoringRun.status === "RUNNING" ? undefined : scoringRun;
    });
  };
  const unresolved = async () =>
    (await gqlOk(api, g.AlertsDocument, { statuses: ["OPEN", "ACKNOWLEDGED"], first: 100 }, tenant.token)).alerts.edges.map((e) => e.node);
  const below = async (threshold: number) => {
    const { fleetHealth } = await gqlOk(api, g.FleetHealthDocument, { assetTypeId: fleet.typeId, first: 100 }, tenant.token);
    return fleetHealth.edges.filter((e) => (e.node.prediction.rul ?? Number.POSITIVE_INFINITY) < threshold).map((e) => e.node.assetId);
  };

  before(async () => {
    api = await startApi();
    worker = await startWorker(api);
    receiver = await startReceiver();
    tenant = await newPaidTenant(api, "Alerting Ltd");
    other = await newTenant(api, "Bystander Ltd");
    fleet = await loadCmapss(api, tenant, { trainUnits: 25, testUnits: 15 });
    const request: TrainRequest = {
      tenantId: tenant.tenantId,
      assetTypeId: fleet.typeId,
      task: "rul",
      trigger: "manual",
      reason: "alerting baseline",
      requestedBy: `user:${tenant.ownerId}`,
      params: { ensemble: 1, gbm: { trees: 40 }, interval: { folds: 0 } },
    };
    const temporal = await temporalClient();
    try {
      await (await startWorkflow(temporal.client, TRAIN_MODEL, { workflowId: newId("trainingRun"), args: [request] })).result();
    } finally {
      await temporal.close();
    }
    ({
      createWebhook: { secret },
    } = await gqlOk(api, g.CreateWebhookDocument, { url: receiver.url }, tenant.token));
    await gqlOk(api, g.SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 60 } }, tenant.token);
    mine = subscribe(api, tenant.token);
    theirs = subscribe(api, other.token);
    myChanges = subscribe(api, tenant.token, g.AlertChangedDocument);
    theirChanges = subscribe(api, other.token, g.AlertChangedDocument);
    await sleep(500);
  });
  after(async () => {
    await mine?.client.dispose();
    await theirs?.client.dispose();
    await myChanges?.client.dispose();
    await theirChanges?.client.dispose();
    await receiver?.close();
    await worker?.close();
    await api?.close();
  });

  it("raises one alert per asset below the threshold, and pushes it to the tenant's subscribers only", async () => {
    const run = await score();
    assert.equal(run.status, "COMPLETED");
    const expected = (await below(60)).sort();
    assert.ok(expected.length > 5, "the run-to-failure engines end near failure");
    const open = await unresolved();
    assert.deepEqual(open.map((a) => a.assetId).sort(), expected);
    for (const a of open) {
      assert.equal(a.kind, "RUL_LOW");
      assert.ok(a.value < 60 && a.threshold === 60);
      assert.match(String(a.explanation.summary), /below the threshold of 60/);
    }
    await waitFor("the subscription to deliver every alert", 30_000, async () => (mine.ids.length >= open.length ? true : undefined));
    assert.deepEqual([...mine.ids].sort(), open.map((a) => a.id).sort());
    assert.deepEqual(mine.errors, []);
    assert.deepEqual(theirs.ids, [], "another tenant hears nothing");
  });

  it("delivers each alert to the webhook, signed, retrying a failed attempt", async () => {
    const open = await unresolved();
    await waitFor("every delivery", 60_000, async () => (receiver.received.length >= open.length ? true : undefined));
    const delivered = new Set<string>();
    for (const r of receiver.received) {
      const body = new Webhook(secret).verify(r.body, r.headers) as {
        tenantId: string;
        alert: { id: string; asset: { externalId: string } };
      };
      assert.equal(body.tenantId, tenant.tenantId, "the signature verifies with the secret");
      assert.equal(r.headers["webhook-id"]?.split(":")[0], body.alert.id);
      delivered.add(body.alert.id);
    }
    assert.deepEqual([...delivered].sort(), open.map((a) => a.id).sort(), "each alert arrived (once it was accepted)");
    const attempts = await Promise.all(
      open.map(async (a) => (await gqlOk(api, g.AlertDeliveriesDocument, { alertId: a.id }, tenant.token)).alertDeliveries),
    );
    assert.ok(attempts.every((d) => d.length === 1 && d[0]?.status === "delivered" && d[0]?.lastOutcome === "DELIVERED"));
    assert.equal(
      attempts.reduce((sum, d) => sum + (d[0]?.attempts ?? 0), 0),
      open.length + 1,
      "one delivery needed a second attempt",
    );
  });

  it("does not raise again while the episode lasts; acknowledging is recorded once and pushed to the tenant's alertChanged", async () => {
    const before = await unresolved();
    const pushed = mine.ids.length;
    await score();
    assert.deepEqual((await unresolved()).map((a) => a.id).sort(), before.map((a) => a.id).sort());
    await sleep(500);
    assert.equal(mine.ids.length, pushed, "nothing new was pushed");
    const first = before[0];
    assert.ok(first);
    const { acknowledgeAlert } = await gqlOk(api, g.AcknowledgeAlertDocument, { id: first.id }, tenant.token);
    assert.equal(acknowledgeAlert.status, "ACKNOWLEDGED");
    assert.equal(acknowledgeAlert.acknowledgedBy, `user:${tenant.ownerId}`);
    const again = await gql(api, g.AcknowledgeAlertDocument, { id: first.id }, tenant.token);
    assert.equal(again.errors?.[0]?.extensions?.code, "CONFLICT");
    await waitFor("the acknowledgement to be pushed", 30_000, async () => (myChanges.states.length > 0 ? true : undefined));
    assert.deepEqual(myChanges.states, [`${first.id}:ACKNOWLEDGED`], "pushed once, as it is now");
    assert.deepEqual(myChanges.errors, []);
    const viewer = await addMember(api, tenant, "VIEWER");
    const refused = await gql(api, g.AcknowledgeAlertDocument, { id: before[1]?.id ?? "" }, viewer.token);
    assert.equal(refused.errors?.[0]?.extensions?.code, "FORBIDDEN");
  });

  it("resolves alerts whose condition cleared, and raises a new episode when it returns", async () => {
    const before = await unresolved();
    await gqlOk(api, g.SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 0.001 } }, tenant.token);
    await score();
    assert.deepEqual(await below(0.001), []);
    assert.deepEqual(await unresolved(), [], "every alert resolved");
    const resolved = before.map((a) => `${a.id}:RESOLVED`).sort();
    await waitFor("the resolutions to be pushed", 30_000, async () =>
      resolved.every((r) => myChanges.states.includes(r)) ? true : undefined,
    );
    assert.deepEqual(theirChanges.ids, [], "another tenant hears of no change");
    await gqlOk(api, g.SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 60 } }, tenant.token);
    await score();
    const now = await unresolved();
    assert.equal(now.length, before.length);
    assert.ok(
      now.every((a) => !before.some((b) => b.id === a.id)),
      "new episodes are new alerts",
    );
  });

  it("trains an anomaly model, scores anomalies with the sensors behind them, and raises anomaly alerts when asked", async () => {
    const temporal = await temporalClient();
    try {
      const request: TrainRequest = {
        tenantId: tenant.tenantId,
        assetTypeId: fleet.typeId,
        task: "anomaly",
        trigger: "manual",
        reason: "anomaly baseline",
        requestedBy: `user:${tenant.ownerId}`,
      };
      const handle = await startWorkflow(temporal.client, TRAIN_MODEL, {
        workflowId: newId("trainingRun"),
        args: [request],
      });
      const trained = (await handle.result()) as { promoted: boolean; decision: string };
      assert.equal(trained.promoted, true, trained.decision);
      assert.match(trained.decision, /false-alarm share/);
    } finally {
      await temporal.close();
    }
    await gqlOk(api, g.SetAlertRuleDocument, { input: { assetTypeId: fleet.typeId, rulBelow: 60, anomaly: true } }, tenant.token);
    await score();
    const health = await Promise.all(
      [...fleet.assets.values()].map(async (assetId) => (await gqlOk(api, g.AssetHealthDocument, { assetId }, tenant.token)).assetHealth),
    );
    const scored = health.filter((h) => h.anomaly);
    assert.equal(scored.length, fleet.assets.size, "every asset has an anomaly score");
    for (const h of scored) {
      const explanation = h.anomaly?.explanation as { alarm: boolean; topSensors: { sensor: string; share: number }[] };
      assert.equal(explanation.topSensors.length, 3);
      assert.ok(/^s\d+$/.test(explanation.topSensors[0]?.sensor ?? ""), "a sensor is named");
    }
    const inAlarm = scored
      .filter((h) => (h.anomaly?.explanation as { alarm?: boolean } | undefined)?.alarm === true)
      .map((h) => h.assetId)
      .sort();
    assert.ok(inAlarm.length > 0, "engines at the end of their life are in alarm");
    const anomalyAlerts = (await unresolved()).filter((a) => a.kind === "ANOMALY");
    assert.deepEqual(anomalyAlerts.map((a) => a.assetId).sort(), inAlarm);
    assert.ok(anomalyAlerts.every((a) => /most of it from s\d+/.test(String(a.explanation.summary))));
  });

  it("shows support the unresolved alerts of every tenant, with the reason recorded", async () => {
    const operator = await newOperator(api, "support");
    const noReason = await gql(api, g.SupportInboxDocument, { reason: "" }, operator.token);
    assert.equal(noReason.errors?.[0]?.extensions?.code, "VALIDATION");
    const { supportInbox } = await gqlOk(
      api,
      g.SupportInboxDocument,
      { reason: "daily look at unusual readings", first: 100 },
      operator.token,
    );
    const ours = supportInbox.edges.filter((e) => e.node.tenantId === tenant.tenantId);
    assert.equal(ours.length, (await unresolved()).length);
    assert.ok(ours.every((e) => e.node.tenantName === "Alerting Ltd" && e.node.assetExternalId.length > 0));
    const asMember = await gql(api, g.SupportInboxDocument, { reason: "members may not look" }, tenant.token);
    assert.equal(asMember.errors?.[0]?.extensions?.code, "FORBIDDEN");
  });
});
