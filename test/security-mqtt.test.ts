import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { IClientOptions, MqttClient } from "mqtt";
import mqtt from "mqtt";
import { z } from "zod";
import type { Config } from "../src/config.js";
import { BRIDGE_SUBSCRIPTION, connectMqttAdmin } from "../src/telemetry/mqtt-admin.js";
import { type Api, newFleet, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { countPoints, msToNs, turbofanLine, waitFor } from "./support/telemetry.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;

const CONTROL_TOPIC = "$CONTROL/dynamic-security/v1";
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Ends a stable bridge's broker session, so it keeps no share of the messages after the test. */
async function endSession(config: Config): Promise<void> {
  const ender = await mqtt.connectAsync(config.MQTT_URL, {
    username: config.MQTT_ADMIN_USERNAME,
    password: config.MQTT_ADMIN_PASSWORD,
    clientId: config.MQTT_BRIDGE_CLIENT_ID,
    clean: true,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
  });
  await ender.endAsync();
}

const answerSchema = z.object({ responses: z.array(z.object({ error: z.string().optional(), correlationData: z.string().optional() })) });

describe("MQTT identities: client ids bound to credentials, devices receive nothing", { timeout: 120_000 }, () => {
  const config = testConfig({ MQTT_BRIDGE_CLIENT_ID: `pdm-api-${randomBytes(4).toString("hex")}` });
  const opened: MqttClient[] = [];
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  let fleetA: Fleet;
  let fleetB: Fleet;
  const base = Date.now() - 86_400_000;

  async function connect(username: string, password: string, extra: IClientOptions): Promise<MqttClient> {
    const client = await mqtt.connectAsync(
      config.MQTT_URL,
      { username, password, reconnectPeriod: 0, connectTimeout: 5_000, protocolVersion: 5, ...extra },
      false,
    );
    client.on("error", () => undefined);
    opened.push(client);
    return client;
  }

  async function refused(username: string, password: string, extra: IClientOptions): Promise<void> {
    await assert.rejects(connect(username, password, extra), /Not authorized|Bad User Name or Password/i);
  }

  before(async () => {
    api = await startApi(config);
    a = await newTenant(api, "Tenant A devices");
    b = await newTenant(api, "Tenant B devices");
    fleetA = await newFleet(api, a, { assets: 1 });
    fleetB = await newFleet(api, b, { assets: 1 });
  });
  after(async () => {
    for (const client of opened) await client.endAsync(true).catch(() => undefined);
    await api?.close();
    await endSession(config).catch(() => undefined);
  });

  it("tells the device its client id where it gets its token", () => {
    assert.equal(fleetA.mqttClientId, fleetA.mqttUsername);
  });

  it("refuses a device that connects under the bridge's client id; the bridge keeps every message of the other tenant", async () => {
    const bridgeId = config.MQTT_BRIDGE_CLIENT_ID ?? "";
    // The attack: tenant A's own valid credential, the bridge's client id, a session to resume.
    await refused(fleetA.mqttUsername, fleetA.deviceToken, {
      clientId: bridgeId,
      clean: false,
      properties: { sessionExpiryInterval: 3_600 },
    });
    await refused(fleetA.mqttUsername, fleetA.deviceToken, { clientId: bridgeId, clean: true });

    const spy = await connect(fleetA.mqttUsername, fleetA.deviceToken, { clientId: fleetA.mqttClientId });
    const seen: string[] = [];
    spy.on("message", (topic) => seen.push(topic));
    const publisher = await connect(fleetB.mqttUsername, fleetB.deviceToken, { clientId: fleetB.mqttClientId });
    for (let i = 0; i < 10; i++) {
      await publisher.publishAsync(fleetB.mqttTopic, turbofanLine("engine_1", i, msToNs(base + i * 1000)), { qos: 1 });
    }
    await waitFor("B's 10 points", async () => ((await countPoints(api, b.tenantId)) === 10 ? true : undefined), 15_000);
    assert.deepEqual(seen, [], "tenant A's device received messages");
  });

  it("refuses a device that connects under another device's client id, and leaves that device connected", async () => {
    const victim = await connect(fleetB.mqttUsername, fleetB.deviceToken, { clientId: fleetB.mqttClientId });
    await refused(fleetA.mqttUsername, fleetA.deviceToken, { clientId: fleetB.mqttClientId, clean: false });
    await refused(fleetA.mqttUsername, fleetA.deviceToken, { clientId: `mqttjs_${randomBytes(4).toString("hex")}` });
    await sleep(300);
    assert.ok(victim.connected, "the other device's session was taken over");
    await victim.endAsync();
  });

  it("refuses every subscription of a device, to another device, tenant or the bridge's group, and delivers it nothing", async () => {
    const device = await connect(fleetA.mqttUsername, fleetA.deviceToken, { clientId: fleetA.mqttClientId });
    const seen: string[] = [];
    device.on("message", (topic) => seen.push(topic));
    for (const filter of [fleetB.mqttTopic, fleetA.mqttTopic, "devices/+/telemetry", "#", BRIDGE_SUBSCRIPTION, "$share/x/#", "$SYS/#"]) {
      await assert.rejects(
        device.subscribeAsync(filter, { qos: 1 }),
        /Not authorized|Subscribe error/,
        `subscription to ${filter} granted`,
      );
    }
    const publisher = await connect(fleetB.mqttUsername, fleetB.deviceToken, { clientId: fleetB.mqttClientId });
    const before = await countPoints(api, b.tenantId);
    await publisher.publishAsync(fleetB.mqttTopic, turbofanLine("engine_1", 100, msToNs(base + 100_000)), { qos: 1 });
    await waitFor("B's point", async () => ((await countPoints(api, b.tenantId)) === before + 1 ? true : undefined), 15_000);
    assert.deepEqual(seen, []);
  });

  it("brings a device credential made before client ids were bound to the current rules", async () => {
    // A credential and role as the broker held them before: any client id, older ACLs.
    const raw = await connect(config.MQTT_ADMIN_USERNAME, config.MQTT_ADMIN_PASSWORD, { clientId: `t-raw-${randomUUID()}` });
    const waiting = new Map<string, (error: string | undefined) => void>();
    raw.on("message", (_topic, payload) => {
      for (const answer of answerSchema.parse(JSON.parse(payload.toString("utf8"))).responses) {
        if (answer.correlationData !== undefined) waiting.get(answer.correlationData)?.(answer.error);
      }
    });
    await raw.subscribeAsync(`${CONTROL_TOPIC}/response`, { qos: 1 });
    const dynsec = (command: Record<string, unknown>) =>
      new Promise<string | undefined>((resolve) => {
        const correlationData = randomUUID();
        waiting.set(correlationData, resolve);
        raw.publish(CONTROL_TOPIC, JSON.stringify({ commands: [{ ...command, correlationData }] }), { qos: 1 });
      });
    const suffix = randomBytes(5).toString("hex");
    const deviceId = `legacy-${suffix}`;
    const username = `pdmd_legacy${suffix}`;
    const password = `pw-${randomUUID()}`;
    const rolename = `device:${deviceId}`;
    const oldAcls = [
      { acltype: "publishClientSend", topic: `devices/${deviceId}/telemetry`, priority: 10, allow: true },
      { acltype: "publishClientSend", topic: "#", priority: 0, allow: false },
      { acltype: "subscribePattern", topic: "#", priority: 0, allow: false },
    ];
    assert.equal(await dynsec({ command: "createRole", rolename, acls: oldAcls }), undefined);
    assert.equal(await dynsec({ command: "createClient", username, password, roles: [{ rolename, priority: 0 }] }), undefined);
    try {
      const before = await connect(username, password, { clientId: config.MQTT_BRIDGE_CLIENT_ID ?? "" });
      await before.endAsync(true);

      const admin = await connectMqttAdmin({
        url: config.MQTT_URL,
        username: config.MQTT_ADMIN_USERNAME,
        password: config.MQTT_ADMIN_PASSWORD,
      });
      try {
        const first = await admin.reconcileDevices();
        assert.ok(first.clients >= 1 && first.roles >= 1, JSON.stringify(first));
        assert.deepEqual(await admin.reconcileDevices(), { roles: 0, clients: 0 }, "a second run changes nothing");
      } finally {
        await admin.close();
      }
      await refused(username, password, { clientId: config.MQTT_BRIDGE_CLIENT_ID ?? "" });
      const now = await connect(username, password, { clientId: username });
      await assert.rejects(now.subscribeAsync(BRIDGE_SUBSCRIPTION, { qos: 1 }), /Not authorized|Subscribe error/);
      await now.endAsync();
    } finally {
      await dynsec({ command: "deleteClient", username });
      await dynsec({ command: "deleteRole", rolename });
    }
  });
});
