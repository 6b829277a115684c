import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import mqtt from "mqtt";
import type { Config } from "../src/config.js";
import { newFleet, newTenant, startApi, testConfig } from "./support/harness.js";
import { countPoints, msToNs, turbofanLine, waitFor } from "./support/telemetry.js";

/** Ends a stable bridge's broker session, as an instance retired for good must (else it keeps its share). */
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

describe("MQTT ingest across an API restart", () => {
  it("writes what devices published while the API was down, when the bridge has a stable id", async () => {
    const config = testConfig({ MQTT_BRIDGE_CLIENT_ID: `pdm-test-bridge-${randomBytes(4).toString("hex")}` });
    try {
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
    } finally {
      await endSession(config);
    }
  });
});
