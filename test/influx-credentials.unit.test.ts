import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { influxCredential } from "../src/telemetry/http-credentials.js";

const basic = (text: string) => `Basic ${Buffer.from(text).toString("base64")}`;

describe("the credential an InfluxDB client presents", () => {
  it("reads every form InfluxDB 1.8 takes, for writes and /query alike", () => {
    assert.equal(influxCredential(undefined, "pdm_key"), "pdm_key", "the p parameter");
    assert.equal(influxCredential("Token pdm_key", undefined), "pdm_key");
    assert.equal(influxCredential("token reader:pdm_key", undefined), "pdm_key", "1.8's Token user:password");
    assert.equal(influxCredential("Bearer pdm_key", "ignored"), "pdm_key", "the header wins over p");
    assert.equal(influxCredential(basic("anyone:pdm_key"), undefined), "pdm_key");
    assert.equal(influxCredential(basic("pdm_key:"), undefined), "pdm_key", "the key as the Basic user name");
    assert.equal(influxCredential(basic("pdm_key"), undefined), "pdm_key");
  });

  it("tells a header in another scheme from no credential at all", () => {
    assert.equal(influxCredential("Digest abc", undefined), null);
    assert.equal(influxCredential("Token", undefined), null);
    assert.equal(influxCredential(undefined, ""), undefined);
    assert.equal(influxCredential("Token reader:", undefined), undefined);
    assert.equal(influxCredential(basic(":"), undefined), undefined);
  });
});
