import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import mqtt from "mqtt";
import * as ops from "./generated/graphql.js";
import { type Api, gqlOk, newFleet, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { countPoints, msToNs, turbofanLine, waitFor } from "./support/telemetry.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;

describe("MQTT ingest through the bridge", () => {
  let api: Api;
  let t: TestTenant;
  let fleet: Fleet;
  const base = Date.now() - 2 * 86_400_000;
  const url = testConfig().MQTT_URL;
  const lines = (from: number, n: number, asset = "engine_1") =>
    Array.from({ length: n }, (_, i) => turbofanLine(asset, from + i, msToNs(base + (from + i) * 1000))).join("\n");
  const connect = (username: string, password: string) =>
    mqtt.connectAsync(url, { username, password, clientId: username, reconnectPeriod: 0, connectTimeout: 3_000, protocolVersion: 5 });
  const quiet = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  before(async () => {
    api = await startApi();
    t = await newTenant(api, "MQTT Ltd");
    fleet = await newFleet(api, t, { assets: 2 });
  });
  after(() => api?.close());

  it("writes what a device publishes with its token, through the same path as HTTP", async () => {
    const client = await connect(fleet.mqttUsername, fleet.deviceToken);
    try {
      await client.publishAsync(fleet.mqttTopic, lines(0, 100), { qos: 1 });
      await client.publishAsync(fleet.mqttTopic, lines(100, 50, "engine_2"), { qos: 1 });
      await waitFor("150 points", async () => ((await countPoints(api, t.tenantId)) === 150 ? true : undefined));
      const { fleetOverview } = await gqlOk(api, ops.FleetOverviewDocument, {}, t.token);
      assert.deepEqual(
        fleetOverview.edges.map((e) => e.node.pointsLastDay),
        [100, 50],
      );
      // A malformed message is refused as a whole, like over HTTP.
      await client.publishAsync(fleet.mqttTopic, `${lines(200, 5)}\nturbofan,asset=engine_1 s1="text"`, { qos: 1 });
      await quiet(1_000);
      assert.equal(await countPoints(api, t.tenantId), 150);
    } finally {
      await client.endAsync();
    }
  });

  it("keeps a device inside its own topic and its own tenant", async () => {
    const other = await newTenant(api, "Other MQTT Ltd");
    const otherFleet = await newFleet(api, other, { assets: 1 });
    const client = await connect(fleet.mqttUsername, fleet.deviceToken);
    try {
      // The broker drops a publish outside the device's own topic (MQTT 5 may answer with a reason code).
      await client.publishAsync(otherFleet.mqttTopic, lines(300, 10), { qos: 1 }).catch(() => undefined);
      await quiet(1_500);
      assert.equal(await countPoints(api, other.tenantId), 0, "nothing reached the other tenant");
      assert.equal(await countPoints(api, t.tenantId), 150, "nothing landed elsewhere either");
      // Subscribing to other devices' data is refused.
      const granted = await client.subscribeAsync(otherFleet.mqttTopic, { qos: 1 }).catch(() => [{ qos: 128 }]);
      assert.ok(
        granted.every((g) => g.qos >= 128),
        `subscription granted: ${JSON.stringify(granted)}`,
      );
    } finally {
      await client.endAsync();
    }
  });

  it("stops a revoked token: its connection is closed and it cannot publish again", async () => {
    const { createDeviceToken } = await gqlOk(api, ops.CreateDeviceTokenDocument, { deviceId: fleet.deviceId }, t.token);
    const client = await connect(createDeviceToken.mqttUsername, createDeviceToken.secret);
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    await client.publishAsync(fleet.mqttTopic, lines(400, 10), { qos: 1 });
    await waitFor("160 points", async () => ((await countPoints(api, t.tenantId)) === 160 ? true : undefined));
    await gqlOk(api, ops.RevokeDeviceTokenDocument, { id: createDeviceToken.token.id }, t.token);
    await Promise.race([closed, quiet(5_000).then(() => Promise.reject(new Error("the revoked client was not disconnected within 5 s")))]);
    await client.endAsync(true);
    // It cannot come back with that token; the device's other token still works.
    await assert.rejects(
      connect(createDeviceToken.mqttUsername, createDeviceToken.secret),
      /Not authorized|not authorised|Bad User Name or Password/i,
    );
    const still = await connect(fleet.mqttUsername, fleet.deviceToken);
    await still.endAsync();
    await quiet(1_000);
    assert.equal(await countPoints(api, t.tenantId), 160);
  });
});
