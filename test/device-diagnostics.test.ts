import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import mqtt from "mqtt";
import * as ops from "./generated/graphql.js";
import { type Api, addMember, codeOf, gqlOk, newFleet, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { influxQuery } from "./support/influx.js";
import { msToNs, turbofanLine, waitFor, writeV2 } from "./support/telemetry.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;
type Diagnostics = ops.DeviceDiagnosticsFieldsFragment;

const API_PUBLIC_URL = "https://api.example.test:8443";

describe("device diagnostics and endpoints", () => {
  let api: Api;
  let t: TestTenant;
  let fleet: Fleet;
  /** Each test writes its own hour of points, so the tests do not see each other's. */
  let hour = 0;
  const base = Date.now() - 2 * 86_400_000;
  const timeMs = (cycle: number) => base + hour * 3_600_000 + cycle * 1000;
  const lines = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => turbofanLine("engine_1", from + i, msToNs(timeMs(from + i)))).join("\n");

  before(async () => {
    api = await startApi(testConfig({ API_PUBLIC_URL }));
    t = await newTenant(api, "Diagnostics Ltd");
    fleet = await newFleet(api, t, { assets: 1 });
  });
  after(() => api?.close());

  /** A device of its own for each test, created as a customer would. */
  async function newDevice() {
    hour++;
    const { createDevice } = await gqlOk(
      api,
      ops.CreateDeviceToConnectDocument,
      { input: { name: `Gateway ${hour}`, assetIds: fleet.assets.map((a) => a.id) } },
      t.token,
    );
    return createDevice;
  }

  async function diagnosticsOf(deviceId: string): Promise<Diagnostics> {
    const { device } = await gqlOk(api, ops.DeviceDiagnosticsDocument, { id: deviceId }, t.token);
    return device.diagnostics;
  }

  const connect = (issued: { mqttUrl: string; mqttUsername: string; mqttClientId: string; secret: string }) =>
    mqtt.connectAsync(issued.mqttUrl, {
      username: issued.mqttUsername,
      password: issued.secret,
      clientId: issued.mqttClientId,
      reconnectPeriod: 0,
      connectTimeout: 3_000,
      protocolVersion: 5,
    });

  async function pointsAt(ms: number): Promise<number> {
    const series = await influxQuery(api, t.tenantId, `SELECT count("s1") FROM "turbofan" WHERE time = ${msToNs(ms)}`);
    const value = series[0]?.[0]?.values[0]?.[1];
    return typeof value === "number" ? value : 0;
  }

  it("shows a refused HTTP batch: protocol, code, message and its bad line, and counts its points", async () => {
    const { device, issued } = await newDevice();
    assert.deepEqual(device.diagnostics, {
      acceptedBatches: 0,
      acceptedPoints: 0,
      refusedBatches: 0,
      refusedPoints: 0,
      lastHttpAt: null,
      lastMqttAt: null,
      lastRefusal: null,
    });
    const before = Date.now();
    const body = `${lines(0, 2)}\nturbofan,asset=engine_1 s1="text" ${msToNs(timeMs(2))}\n# a comment\n\n${lines(3, 1)}\n`;
    const answer = await writeV2(api, issued.secret, body);
    assert.equal(answer.status, 400);
    const d = await diagnosticsOf(device.id);
    assert.equal(d.refusedBatches, 1);
    assert.equal(d.refusedPoints, 4, "the blank line and the comment are not points");
    assert.equal(d.acceptedBatches, 0);
    assert.equal(d.lastMqttAt, null);
    assert.ok(d.lastHttpAt && Date.parse(d.lastHttpAt) >= before - 1000);
    assert.equal(d.lastRefusal?.protocol, "HTTP");
    assert.equal(d.lastRefusal?.code, "VALIDATION");
    assert.equal(d.lastRefusal?.line, 3);
    assert.equal(d.lastRefusal?.message, answer.body.message, "the message the device was answered with");
    assert.match(d.lastRefusal?.message ?? "", /^line 3: /);
  });

  it("counts accepted HTTP batches and their points, and keeps the last refusal", async () => {
    const { device, issued } = await newDevice();
    assert.equal((await writeV2(api, issued.secret, "turbofan,asset=nobody s1=1")).status, 400);
    const refused = await diagnosticsOf(device.id);
    const before = Date.now();
    assert.equal((await writeV2(api, issued.secret, lines(0, 5))).status, 204);
    assert.equal((await writeV2(api, issued.secret, lines(5, 3))).status, 204);
    const d = await diagnosticsOf(device.id);
    assert.equal(d.acceptedBatches, 2);
    assert.equal(d.acceptedPoints, 8);
    assert.equal(d.refusedBatches, 1);
    assert.equal(d.refusedPoints, 1);
    assert.ok(d.lastHttpAt && Date.parse(d.lastHttpAt) >= before - 1000);
    assert.equal(d.lastMqttAt, null);
    assert.deepEqual(d.lastRefusal, refused.lastRefusal, "an accepted batch leaves the last refusal as it was");
    assert.equal(d.lastRefusal?.line, 1);
    assert.match(d.lastRefusal?.message ?? "", /unknown asset "nobody"/);
  });

  it("records a batch refused for its parameters (an unknown precision) when its token is good", async () => {
    const { device, issued } = await newDevice();
    const answer = await writeV2(api, issued.secret, lines(0, 3), { precision: "sec" });
    assert.equal(answer.status, 400);
    assert.equal(
      (await writeV2(api, "pdmd_aaaaaaaaaaaa_not-a-good-token-at-all-but-shaped-like-one-xx", lines(0, 3), { precision: "sec" })).status,
      400,
    );
    const d = await diagnosticsOf(device.id);
    assert.equal(d.refusedBatches, 1);
    assert.equal(d.refusedPoints, 3);
    assert.equal(d.lastRefusal?.protocol, "HTTP");
    assert.equal(d.lastRefusal?.line, null);
    assert.equal(d.lastRefusal?.message, answer.body.message);
    assert.match(d.lastRefusal?.message ?? "", /Unknown precision "sec"/);
  });

  it("loses no count when one device sends many batches at once", async () => {
    const { device, issued } = await newDevice();
    const batches = 24;
    const answers = await Promise.all(
      Array.from({ length: batches }, (_, i) =>
        i % 4 === 3 ? writeV2(api, issued.secret, `${lines(i * 10, 2)}\nbroken`) : writeV2(api, issued.secret, lines(i * 10, 3)),
      ),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      Array.from({ length: batches }, (_, i) => (i % 4 === 3 ? 400 : 204)),
    );
    const d = await diagnosticsOf(device.id);
    assert.equal(d.acceptedBatches, 18);
    assert.equal(d.acceptedPoints, 54);
    assert.equal(d.refusedBatches, 6);
    assert.equal(d.refusedPoints, 18);
  });

  it("counts a refused MQTT message (a timestamp in seconds) with its reason, and an accepted one as last seen over MQTT", async () => {
    const { device, issued } = await newDevice();
    const client = await connect(issued);
    try {
      const seconds = Math.floor(timeMs(0) / 1000);
      await client.publishAsync(issued.mqttTopic, `turbofan,asset=engine_1 s1=1 ${seconds}`, { qos: 1 });
      const refused = await waitFor("the refusal", async () => {
        const d = await diagnosticsOf(device.id);
        return d.refusedBatches > 0 ? d : undefined;
      });
      assert.equal(refused.refusedBatches, 1);
      assert.equal(refused.refusedPoints, 1);
      assert.equal(refused.lastRefusal?.protocol, "MQTT");
      assert.equal(refused.lastRefusal?.code, "VALIDATION");
      assert.equal(refused.lastRefusal?.line, 1);
      assert.match(refused.lastRefusal?.message ?? "", /timestamp/i);
      assert.ok(refused.lastMqttAt);
      assert.equal(refused.lastHttpAt, null);

      await client.publishAsync(issued.mqttTopic, lines(0, 4), { qos: 1 });
      const accepted = await waitFor("the accepted message", async () => {
        const d = await diagnosticsOf(device.id);
        return d.acceptedBatches > 0 ? d : undefined;
      });
      assert.equal(accepted.acceptedBatches, 1);
      assert.equal(accepted.acceptedPoints, 4);
      assert.ok(accepted.lastMqttAt && refused.lastMqttAt && Date.parse(accepted.lastMqttAt) >= Date.parse(refused.lastMqttAt));
      assert.equal(accepted.refusedBatches, 1);
      assert.equal(accepted.lastHttpAt, null);
    } finally {
      await client.endAsync();
    }
  });

  it('reads MQTT timestamps in the precision a message names in its MQTT 5 user property "precision"', async () => {
    const { device, issued } = await newDevice();
    const client = await connect(issued);
    try {
      const at = Math.floor(timeMs(0) / 1000) * 1000;
      const line = (ms: number, unit: number) => `turbofan,asset=engine_1 s1=1 ${Math.floor(ms / unit)}`;
      await client.publishAsync(issued.mqttTopic, line(at, 1000), { qos: 1, properties: { userProperties: { precision: "s" } } });
      await client.publishAsync(issued.mqttTopic, line(at + 1000, 1), { qos: 1, properties: { userProperties: { precision: "ms" } } });
      await waitFor("both points", async () => ((await pointsAt(at)) === 1 && (await pointsAt(at + 1000)) === 1 ? true : undefined));

      await client.publishAsync(issued.mqttTopic, line(at + 2000, 1000), { qos: 1, properties: { userProperties: { precision: "sec" } } });
      const d = await waitFor("the refusal", async () => {
        const found = await diagnosticsOf(device.id);
        return found.refusedBatches > 0 ? found : undefined;
      });
      assert.equal(d.acceptedBatches, 2);
      assert.equal(d.lastRefusal?.code, "VALIDATION");
      assert.equal(d.lastRefusal?.line, null);
      assert.match(d.lastRefusal?.message ?? "", /"precision" must be one of ns, us, ms, s/);
      assert.equal(await pointsAt(at + 2000), 0);
    } finally {
      await client.endAsync();
    }
  });

  it("answers another tenant's device as not found", async () => {
    const { device } = await newDevice();
    const other = await newTenant(api, "Other Diagnostics Ltd");
    assert.equal(await codeOf(api, ops.DeviceDiagnosticsDocument, { id: device.id }, other.token), "NOT_FOUND");
    const { devices } = await gqlOk(api, ops.DevicesDiagnosticsDocument, {}, other.token);
    assert.deepEqual(devices.edges, []);
  });

  it("shows the diagnostics to members who may read devices (viewers), and to no one else", async () => {
    const { device, issued } = await newDevice();
    assert.equal((await writeV2(api, issued.secret, lines(0, 2))).status, 204);
    const viewer = await addMember(api, t, "VIEWER");
    const { device: seen } = await gqlOk(api, ops.DeviceDiagnosticsDocument, { id: device.id }, viewer.token);
    assert.equal(seen.diagnostics.acceptedPoints, 2);
    const finance = await addMember(api, t, "FINANCE");
    assert.equal(await codeOf(api, ops.DeviceDiagnosticsDocument, { id: device.id }, finance.token), "FORBIDDEN");
  });

  it("tells a new device where and how to connect, and those values work", async () => {
    const { device, issued } = await newDevice();
    const topic = `devices/${device.id}/telemetry`;
    assert.equal(issued.mqttUrl, testConfig().MQTT_URL, "by default, the broker the API uses");
    assert.equal(issued.mqttTopic, topic);
    assert.match(issued.mqttUsername, /^pdmd_[0-9a-z]{12}$/);
    assert.equal(issued.mqttClientId, issued.mqttUsername);
    assert.equal(issued.mqttPrecision, "ns");
    assert.equal(issued.httpWriteUrl, `${API_PUBLIC_URL}/api/v2/write`);
    assert.deepEqual(device.endpoints, {
      mqttUrl: issued.mqttUrl,
      mqttTopic: topic,
      mqttPrecision: "ns",
      mqttPrecisions: ["ns", "us", "ms", "s"],
      httpWriteUrl: `${API_PUBLIC_URL}/api/v2/write`,
      httpWriteUrlV1: `${API_PUBLIC_URL}/write`,
    });
    const { createDeviceToken } = await gqlOk(api, ops.CreateDeviceTokenToConnectDocument, { deviceId: device.id }, t.token);
    assert.equal(createDeviceToken.mqttUrl, issued.mqttUrl);
    assert.equal(createDeviceToken.mqttTopic, topic);
    assert.equal(createDeviceToken.mqttPrecision, "ns");

    // Exactly as answered: URL, client id, username, password, topic and a timestamp in the precision said.
    const at = timeMs(0);
    const client = await connect(issued);
    try {
      await client.publishAsync(issued.mqttTopic, `turbofan,asset=engine_1 s1=7 ${msToNs(at)}`, { qos: 1 });
      await waitFor("the point", async () => ((await pointsAt(at)) === 1 ? true : undefined));
    } finally {
      await client.endAsync();
    }
  });
});
