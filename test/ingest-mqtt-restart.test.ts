import assert from "node:assert/strict";
import { describe, it } from "node:test";
import mqtt from "mqtt";
import { newFleet, newTenant, startApi, testConfig } from "./support/harness.js";
import { countPoints, msToNs, turbofanLine, waitFor } from "./support/telemetry.js";

describe("MQTT ingest across an API restart", () => {
  it("writes what devices published while the API was down: the last copy keeps its session", async () => {
    const config = testConfig();
    const first = await startApi(config);
    const t = await newTenant(first, "Restart Ltd");
    const fleet = await newFleet(first, t, { assets: 1 });
    await first.close();

    const base = Date.now() - 86_400_000;
    const device = await mqtt.connectAsync(config.MQTT_URL, {
      username: fleet.mqttUsername,
      password: fleet.deviceToken,
      clientId: fleet.mqttClientId,
      reconnectPeriod: 0,
      protocolVersion: 5,
    });
    const body = Array.from({ length: 25 }, (_, i) => turbofanLine("engine_1", i, msToNs(base + i * 1000))).join("\n");
    await device.publishAsync(fleet.mqttTopic, body, { qos: 1 });
    await device.endAsync();

    const second = await startApi(config);
    try {
      assert.equal(
        await waitFor("the 25 points published during the restart", async () => {
          const n = await countPoints(second, t.tenantId);
          return n === 25 ? n : undefined;
        }),
        25,
      );
    } finally {
      await second.close();
    }
  });
});
