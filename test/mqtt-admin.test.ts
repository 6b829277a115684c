import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import type { IClientOptions, MqttClient } from "mqtt";
import mqtt from "mqtt";
import { z } from "zod";
import {
  BRIDGE_SUBSCRIPTION,
  connectMqttAdmin,
  deviceClientId,
  deviceIdOfTopic,
  deviceTopic,
  type MqttAdmin,
} from "../src/telemetry/mqtt-admin.js";

// Runs against the broker of `scripts/stack` (Mosquitto with the dynamic-security plugin).
// Everything created here carries a random suffix and is removed in `after`.

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run: eval "$(bash scripts/stack env)"`);
  return value;
}

const CONTROL_TOPIC = "$CONTROL/dynamic-security/v1";
const suffix = randomBytes(5).toString("hex");
const name = (what: string) => `t-${what}-${suffix}`;
const newSecret = () => `pdmd_${randomBytes(24).toString("hex")}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds or the time is up; returns whether it held. */
async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(20);
  }
  return check();
}

interface Received {
  topic: string;
  payload: string;
  qos: number;
}

function collect(client: MqttClient): Received[] {
  const received: Received[] = [];
  client.on("message", (topic, payload, packet) => received.push({ topic, payload: payload.toString("utf8"), qos: packet.qos }));
  return received;
}

/** A QoS 1 publish that fails instead of waiting forever on a client that lost its connection. */
async function publishAcked(client: MqttClient, topic: string, payload: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no PUBACK for ${topic} within 5 s (connected: ${client.connected})`)), 5_000);
  });
  try {
    await Promise.race([client.publishAsync(topic, payload, { qos: 1 }), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the milliseconds until the client's connection closes, or undefined after `timeoutMs`. */
function closedWithin(client: MqttClient, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    client.once("close", () => {
      clearTimeout(timer);
      resolve(Math.round(performance.now() - started));
    });
  });
}

const dynsecAnswerSchema = z.object({
  responses: z.array(z.object({ command: z.string(), error: z.string().optional(), correlationData: z.string().optional() })),
});

describe("MQTT credentials through the dynamic-security plugin", { timeout: 120_000 }, () => {
  const url = env("MQTT_URL");
  const adminUsername = env("MQTT_ADMIN_USERNAME");
  const adminPassword = env("MQTT_ADMIN_PASSWORD");

  const openClients: MqttClient[] = [];
  const usernames = new Set<string>();
  const deviceIds = new Set<string>();

  let admin: MqttAdmin | undefined;
  /** Sends one dynsec command outside the module under test (to tamper with and clean up roles). */
  let rawDynsec: ((command: Record<string, unknown>) => Promise<string | undefined>) | undefined;

  const bridge = { username: name("bridge"), password: newSecret() };
  let bridgeClient: MqttClient;
  /** Messages the bridge receives through BRIDGE_SUBSCRIPTION (shared with any other pdm-ingest subscriber on this broker). */
  let bridgeReceived: Received[];
  /** Messages an observer with the bridge credential receives through a plain devices/+/telemetry subscription: sees every delivered message. */
  let observed: Received[];

  const api = (): MqttAdmin => {
    assert.ok(admin, "the MQTT admin did not connect");
    return admin;
  };
  const dynsec = (command: Record<string, unknown>): Promise<string | undefined> => {
    assert.ok(rawDynsec, "the raw dynsec client did not connect");
    return rawDynsec(command);
  };

  async function login(username: string, password: string, extra: IClientOptions = {}): Promise<MqttClient> {
    const client = await mqtt.connectAsync(
      url,
      {
        username,
        password,
        // A device credential connects only under its own username as client id.
        clientId: username.startsWith("t-tok-") ? deviceClientId(username) : `t-${randomUUID()}`,
        reconnectPeriod: 0,
        connectTimeout: 5_000,
        ...extra,
      },
      false,
    );
    client.on("error", () => undefined); // failures are asserted through close events and rejected promises
    openClients.push(client);
    return client;
  }

  async function loginError(username: string, password: string): Promise<Error> {
    try {
      await login(username, password);
    } catch (error) {
      assert.ok(error instanceof Error);
      return error;
    }
    assert.fail(`${username} could connect`);
  }

  async function newDevice(what: string, password = newSecret()) {
    const device = { username: name(`tok-${what}`), password, deviceId: name(`dev-${what}`) };
    usernames.add(device.username);
    deviceIds.add(device.deviceId);
    await api().upsertDeviceCredential(device);
    return device;
  }

  /** Publishes a unique payload (QoS 1) and reports whether the observer received it within `waitMs`. */
  async function delivered(client: MqttClient, topic: string, waitMs = 3_000): Promise<boolean> {
    const payload = `probe,run=${suffix} n="${randomUUID()}"`;
    await publishAcked(client, topic, payload);
    return waitFor(() => observed.some((m) => m.payload === payload), waitMs);
  }

  before(async () => {
    admin = await connectMqttAdmin({ url, username: adminUsername, password: adminPassword, clientId: `t-admin-${suffix}` });

    const raw = await login(adminUsername, adminPassword);
    const waiting = new Map<string, (error: string | undefined) => void>();
    raw.on("message", (_topic, payload) => {
      const parsed = dynsecAnswerSchema.safeParse(JSON.parse(payload.toString("utf8")));
      if (!parsed.success) return;
      for (const answer of parsed.data.responses) {
        if (answer.correlationData !== undefined) waiting.get(answer.correlationData)?.(answer.error);
      }
    });
    await raw.subscribeAsync(`${CONTROL_TOPIC}/response`, { qos: 1 });
    rawDynsec = (command) =>
      new Promise((resolve, reject) => {
        const correlationData = randomUUID();
        const timer = setTimeout(() => reject(new Error(`no answer to ${JSON.stringify(command)}`)), 5_000);
        waiting.set(correlationData, (error) => {
          clearTimeout(timer);
          waiting.delete(correlationData);
          resolve(error);
        });
        raw.publish(CONTROL_TOPIC, JSON.stringify({ commands: [{ ...command, correlationData }] }), { qos: 1 });
      });

    usernames.add(bridge.username);
    await admin.ensureBridgeCredential(bridge.username, bridge.password);
    bridgeClient = await login(bridge.username, bridge.password);
    bridgeReceived = collect(bridgeClient);
    await bridgeClient.subscribeAsync(BRIDGE_SUBSCRIPTION, { qos: 1 });
    const observer = await login(bridge.username, bridge.password);
    observed = collect(observer);
    await observer.subscribeAsync("devices/+/telemetry", { qos: 1 });
  });

  after(async () => {
    // Credentials go before roles: deleting a role a client still holds leaves a dangling reference that
    // crashes Mosquitto 2.0.11 on a later command (eclipse/mosquitto#2660). Done with raw commands so that
    // a broken module cannot skip a credential and then have its role deleted.
    if (rawDynsec !== undefined) {
      let allGone = true;
      for (const username of usernames) {
        const error = await rawDynsec({ command: "deleteClient", username }).catch((e: unknown) => String(e));
        if (error !== undefined && !/not found/i.test(error)) allGone = false;
      }
      if (allGone) {
        for (const deviceId of deviceIds) await rawDynsec({ command: "deleteRole", rolename: `device:${deviceId}` }).catch(() => undefined);
      }
    }
    await admin?.close();
    for (const client of openClients) await client.endAsync(true).catch(() => undefined);
  });

  it("delivers a device's publish on its own topic to the bridge's shared subscription", async () => {
    const device = await newDevice("a");
    const client = await login(device.username, device.password);
    const topic = deviceTopic(device.deviceId);
    // Another pdm-ingest member on this broker may take a message in turn; a few tries make sure one lands here.
    let got: Received | undefined;
    for (let attempt = 0; attempt < 5 && got === undefined; attempt++) {
      const payload = `vibration,run=${suffix} rms=${attempt}`;
      await publishAcked(client, topic, payload);
      await waitFor(() => bridgeReceived.some((m) => m.payload === payload), 2_000);
      got = bridgeReceived.find((m) => m.payload === payload);
    }
    assert.ok(got, "the bridge received nothing through its shared subscription");
    assert.equal(got.topic, topic);
    assert.equal(got.qos, 1);
    assert.equal(deviceIdOfTopic(got.topic), device.deviceId);
  });

  it("keeps a device from publishing to another device's topic and from subscribing", async () => {
    const device = await newDevice("b");
    const victim = name("dev-victim");
    const client = await login(device.username, device.password);

    const forbidden = `intrusion,run=${suffix} n="${randomUUID()}"`;
    await publishAcked(client, deviceTopic(victim), forbidden); // MQTT 3.1.1: the broker acks and drops it
    // Messages of one publisher arrive in order: once this one is seen, the forbidden one would have been too.
    assert.ok(await delivered(client, deviceTopic(device.deviceId)), "own publish was not delivered");
    await sleep(1_000);
    assert.equal(observed.filter((m) => m.payload === forbidden).length, 0, "a publish to another device's topic was delivered");
    assert.equal(bridgeReceived.filter((m) => m.payload === forbidden).length, 0);

    // With MQTT 5 the refusal is visible to the publisher (this session, under the same client id, replaces the first).
    const v5 = await login(device.username, device.password, { protocolVersion: 5 });
    await assert.rejects(publishAcked(v5, deviceTopic(victim), "x v=1"), /Not authorized/);

    const ownReceived = collect(v5);
    for (const filter of [deviceTopic(device.deviceId), "devices/+/telemetry", "#", BRIDGE_SUBSCRIPTION, "$SYS/#", `${CONTROL_TOPIC}/#`]) {
      await assert.rejects(v5.subscribeAsync(filter, { qos: 1 }), /Subscribe error|Not authorized/, `subscribing to ${filter} was granted`);
    }
    assert.ok(await delivered(v5, deviceTopic(device.deviceId)));
    await sleep(1_000);
    assert.deepEqual(ownReceived, []);
  });

  it("refuses a wrong password and an unknown username at connect", async () => {
    const device = await newDevice("c");
    const ok = await login(device.username, device.password);
    assert.ok(ok.connected);
    const wrongPassword = await loginError(device.username, `${device.password}x`);
    assert.match(wrongPassword.message, /Not authorized|Bad username or password/);
    const unknownUser = await loginError(name("tok-nobody"), device.password);
    assert.match(unknownUser.message, /Not authorized|Bad username or password/);
  });

  it("disconnects a connected device when its credential is removed and refuses it afterwards", async (t) => {
    const device = await newDevice("d");
    const client = await login(device.username, device.password);
    assert.ok(await delivered(client, deviceTopic(device.deviceId)));

    const closed = closedWithin(client, 5_000);
    const started = performance.now();
    await api().removeCredential(device.username);
    const answeredMs = Math.round(performance.now() - started);
    const closedMs = await closed;
    t.diagnostic(`removeCredential answered after ${answeredMs} ms; the session closed after ${closedMs ?? "(never)"} ms`);
    assert.ok(closedMs !== undefined, "the connected device was not disconnected within 5 s");
    assert.equal(client.connected, false);

    const refused = await loginError(device.username, device.password);
    assert.match(refused.message, /Not authorized|Bad username or password/);
    // Removing it again (or something that never existed) is not an error.
    await api().removeCredential(device.username);
    await api().removeCredential(name("tok-never"));
  });

  it("replaces the password when a credential is upserted again: old one refused, new one accepted", async (t) => {
    const device = await newDevice("e");
    const oldSession = await login(device.username, device.password);
    const closed = closedWithin(oldSession, 5_000);

    const newPassword = newSecret();
    await api().upsertDeviceCredential({ ...device, password: newPassword });
    const closedMs = await closed;
    t.diagnostic(`session with the old password closed after ${closedMs ?? "(never)"} ms`);
    assert.ok(closedMs !== undefined, "a session authenticated with the old password stayed connected");

    const refused = await loginError(device.username, device.password);
    assert.match(refused.message, /Not authorized|Bad username or password/);
    const client = await login(device.username, newPassword);
    assert.ok(await delivered(client, deviceTopic(device.deviceId)), "the new password's session may not publish");
  });

  it("leaves an unchanged credential and its sessions alone when upserted again", async () => {
    const device = await newDevice("f");
    const client = await login(device.username, device.password);
    await api().upsertDeviceCredential(device);
    await api().upsertDeviceCredential(device);
    await sleep(300);
    assert.ok(client.connected, "an idempotent upsert disconnected the device");
    assert.ok(await delivered(client, deviceTopic(device.deviceId)));
  });

  it("moves the publish permission when a credential is upserted for another device", async () => {
    const device = await newDevice("g");
    const other = name("dev-g2");
    deviceIds.add(other);
    await api().upsertDeviceCredential({ ...device, deviceId: other });
    const client = await login(device.username, device.password, { protocolVersion: 5 });
    await assert.rejects(publishAcked(client, deviceTopic(device.deviceId), "x v=1"), /Not authorized/);
    assert.ok(await delivered(client, deviceTopic(other)));
  });

  it("repairs a device role whose ACLs were changed behind its back", async () => {
    const device = await newDevice("h");
    const rolename = `device:${device.deviceId}`;
    const topic = deviceTopic(device.deviceId);
    assert.equal(await dynsec({ command: "removeRoleACL", rolename, acltype: "publishClientSend", topic }), undefined);
    assert.equal(await dynsec({ command: "removeRoleACL", rolename, acltype: "subscribePattern", topic: "#" }), undefined);
    assert.equal(
      await dynsec({ command: "addRoleACL", rolename, acltype: "subscribePattern", topic: "#", priority: 50, allow: true }),
      undefined,
    );
    const client = await login(device.username, device.password, { protocolVersion: 5 });
    await assert.rejects(publishAcked(client, topic, "x v=1"), /Not authorized/);
    await client.subscribeAsync("devices/+/telemetry", { qos: 0 }); // the tampered role allows this

    await api().upsertDeviceCredential(device);
    assert.ok(await delivered(client, topic), "the allow ACL was not restored");
    await assert.rejects(client.subscribeAsync("#", { qos: 0 }), /Not authorized/);
  });

  it("keeps ensureBridgeCredential idempotent and lets it change the bridge password", async () => {
    await api().ensureBridgeCredential(bridge.username, bridge.password);
    await api().ensureBridgeCredential(bridge.username, bridge.password);
    await sleep(300);
    assert.ok(bridgeClient.connected, "an unchanged ensureBridgeCredential disconnected the bridge");
    const again = await login(bridge.username, bridge.password);
    await again.subscribeAsync(BRIDGE_SUBSCRIPTION, { qos: 1 });
    const device = await newDevice("i");
    assert.ok(await delivered(await login(device.username, device.password), deviceTopic(device.deviceId)));

    const second = { username: name("bridge2"), password: newSecret() };
    usernames.add(second.username);
    await api().ensureBridgeCredential(second.username, second.password);
    await (await login(second.username, second.password)).endAsync();
    const rotated = newSecret();
    await api().ensureBridgeCredential(second.username, rotated);
    await loginError(second.username, second.password);
    await (await login(second.username, rotated)).subscribeAsync(BRIDGE_SUBSCRIPTION, { qos: 1 });
  });

  it("gives the bridge credential nothing beyond receiving device telemetry", async () => {
    const client = await login(bridge.username, bridge.password, { protocolVersion: 5 });
    await assert.rejects(client.subscribeAsync("#", { qos: 0 }), /Not authorized/);
    await assert.rejects(client.subscribeAsync("$share/other/devices/+/telemetry", { qos: 0 }), /Not authorized/);
    await assert.rejects(publishAcked(client, deviceTopic(name("dev-spoof")), "x v=1"), /Not authorized/);
  });

  it("rejects names that would change a topic or ACL", async () => {
    for (const deviceId of ["", "a/b", "a+b", "a#", "a b", "a\tb", "a\u0000b"]) {
      assert.throws(() => deviceTopic(deviceId), /Invalid MQTT deviceId/);
      await assert.rejects(api().upsertDeviceCredential({ username: name("tok-bad"), password: "pw", deviceId }), /Invalid MQTT deviceId/);
    }
    for (const username of ["", "u/x", "u+", "u#", "u x"]) {
      await assert.rejects(api().upsertDeviceCredential({ username, password: "pw", deviceId: name("dev-ok") }), /Invalid MQTT username/);
      await assert.rejects(api().removeCredential(username), /Invalid MQTT username/);
      await assert.rejects(api().ensureBridgeCredential(username, "pw"), /Invalid MQTT username/);
    }
    await assert.rejects(api().upsertDeviceCredential({ username: name("tok-bad"), password: "", deviceId: name("dev-ok") }), /password/);
    await assert.rejects(api().removeCredential(adminUsername), /Refusing/);
  });

  it("maps topics to device ids and back", () => {
    assert.equal(BRIDGE_SUBSCRIPTION, "$share/pdm-ingest/devices/+/telemetry");
    assert.equal(deviceTopic("m-1"), "devices/m-1/telemetry");
    assert.equal(deviceIdOfTopic("devices/m-1/telemetry"), "m-1");
    for (const topic of [
      "devices//telemetry",
      "devices/a/b/telemetry",
      "devices/a/telemetry/",
      "$share/pdm-ingest/devices/a/telemetry",
      "x/a/telemetry",
      "devices/a b/telemetry",
    ]) {
      assert.equal(deviceIdOfTopic(topic), undefined, topic);
    }
  });

  it("fails fast while the broker is unreachable and still closes", { timeout: 15_000 }, async () => {
    const target = new URL(url);
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((inbound) => {
      const outbound = net.connect(Number(target.port), target.hostname);
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on("error", () => undefined);
      }
      inbound.pipe(outbound);
      outbound.pipe(inbound);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const address = proxy.address();
    assert.ok(address !== null && typeof address === "object");
    const viaProxy = await connectMqttAdmin({ url: `mqtt://127.0.0.1:${address.port}`, username: adminUsername, password: adminPassword });
    await viaProxy.removeCredential(name("tok-never"));

    proxy.close();
    for (const socket of sockets) socket.destroy();
    await sleep(200);
    const started = performance.now();
    await assert.rejects(viaProxy.removeCredential(name("tok-never")), /not connected|lost its connection/);
    assert.ok(performance.now() - started < 1_000, "a command waited although the broker was unreachable");
    await viaProxy.close(); // must not wait for the broker
    await assert.rejects(viaProxy.removeCredential(name("tok-never")), /closed/);
  });

  it("fails to connect as admin without the right password or control-topic rights", async () => {
    await assert.rejects(connectMqttAdmin({ url, username: adminUsername, password: `${adminPassword}x` }), /Not authorized|Bad username/);
    await assert.rejects(connectMqttAdmin({ url, username: bridge.username, password: bridge.password }), /may not subscribe/);
  });
});
