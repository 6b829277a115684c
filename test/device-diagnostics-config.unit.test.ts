import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "../src/config.js";
import { pointsInBody } from "../src/telemetry/diagnostics.js";
import { precisionOf } from "../src/telemetry/mqtt-message.js";

describe("where devices are told to write", () => {
  const env = { ...process.env, MQTT_URL: "mqtt://10.0.0.5:1883", PORTAL_URL: "https://portal.example.test/" };

  it("defaults to the broker the API uses and to the portal's address (the API serves the portal)", () => {
    const config = parseConfig({ ...env, MQTT_PUBLIC_URL: undefined, API_PUBLIC_URL: undefined });
    assert.equal(config.MQTT_PUBLIC_URL, "mqtt://10.0.0.5:1883");
    assert.equal(config.API_PUBLIC_URL, "https://portal.example.test");
  });

  it("takes the addresses given, and refuses other schemes", () => {
    const config = parseConfig({ ...env, MQTT_PUBLIC_URL: "mqtts://broker.example.test:8883", API_PUBLIC_URL: "https://api.example.test" });
    assert.equal(config.MQTT_PUBLIC_URL, "mqtts://broker.example.test:8883");
    assert.equal(config.API_PUBLIC_URL, "https://api.example.test");
    assert.throws(
      () => parseConfig({ ...env, MQTT_PUBLIC_URL: "http://broker.example.test", API_PUBLIC_URL: "ftp://api.example.test" }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /MQTT_PUBLIC_URL must be an mqtt:\/\/, mqtts:\/\/, ws:\/\/ or wss:\/\/ URL/);
        assert.match(error.message, /API_PUBLIC_URL must be an http:\/\/ or https:\/\/ URL/);
        return true;
      },
    );
  });
});

describe("the MQTT 5 user property precision", () => {
  it("reads ns, us, ms and s, and nanoseconds without one", () => {
    assert.equal(precisionOf({}), "ns");
    assert.equal(precisionOf({ userProperties: {} }), "ns");
    for (const p of ["ns", "us", "ms", "s"]) assert.equal(precisionOf({ userProperties: { precision: p } }), p);
    assert.equal(precisionOf({ userProperties: { precision: ["ms"] } }), "ms");
  });

  it("refuses other names, the v1-only ones and a property sent twice, naming what it accepts", () => {
    for (const value of ["n", "m", "h", "seconds", "", ["s", "ms"]]) {
      assert.throws(
        () => precisionOf({ userProperties: { precision: value } }),
        (error: unknown) => error instanceof Error && /"precision" must be one of ns, us, ms, s/.test(error.message),
      );
    }
  });
});

describe("points of a refused batch", () => {
  it("counts lines that are neither blank nor comments", () => {
    assert.equal(pointsInBody(""), 0);
    assert.equal(pointsInBody("a b=1"), 1);
    assert.equal(pointsInBody("a b=1\n\n  \n# note\n  # indented note\r\nbroken\r\nc d=2\n"), 3);
  });
});
