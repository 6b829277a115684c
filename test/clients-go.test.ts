import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { baseSecond, type ClientSetting, clientPath, clientSetting, pointJson, readBack, runProgram } from "./support/clients.js";

/** The official InfluxDB 2.x Go client (influxdb-client-go/v2) against the API, built from test/clients/go. */
describe("the official Go client", () => {
  let api: ClientSetting["api"];
  let t: ClientSetting["t"];
  let fleet: ClientSetting["fleet"];
  let assetId: string;
  const base = baseSecond();

  before(async () => {
    ({ api, t, fleet, assetId } = await clientSetting("Go Client Ltd"));
  });
  after(async () => {
    await api?.close();
  });

  /** influx-go with the API's URL and these credentials, running COMMAND with `input` on its standard input. */
  const go = (command: string, input = "", credentials: { token?: string; org?: string; bucket?: string } = {}) =>
    runProgram(
      clientPath("go"),
      [
        "-url",
        api.url,
        "-token",
        credentials.token ?? fleet.deviceToken,
        "-org",
        credentials.org ?? "any-org",
        "-bucket",
        credentials.bucket ?? "telemetry",
        command,
      ],
      input,
    );

  it("the blocking write API writes points built by the client, read back through GraphQL", async () => {
    const points = [pointJson("engine_1", base, { s1: 1.25, s2: 2 }), pointJson("engine_1", base + 1, { s1: 3.5, s2: 4 })];
    const res = await go("write-points", points.join("\n"));
    assert.deepEqual(res, { code: 0, stdout: "wrote 2 points\n", stderr: "" });
    assert.deepEqual(await readBack(api, t.token, assetId, base, base + 2), [
      { time: base, s1: 1.25, s2: 2 },
      { time: base + 1, s1: 3.5, s2: 4 },
    ]);
  });

  it("the blocking write API writes line protocol records as they are", async () => {
    const second = base + 60;
    const res = await go("write-lines", `turbofan,asset=engine_1 s1=7,s2=8 ${second}\nturbofan,asset=engine_1 s1=9 ${second + 1}\n`);
    assert.deepEqual(res, { code: 0, stdout: "wrote 2 lines\n", stderr: "" });
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 2), [
      { time: second, s1: 7, s2: 8 },
      { time: second + 1, s1: 9, s2: null },
    ]);
  });

  it("the InfluxDB 1.8 compatibility form (token user:password, no org, bucket database/retention-policy) writes too", async () => {
    const second = base + 120;
    const res = await go("write-points", pointJson("engine_1", second, { s1: 5, s2: 6 }), {
      token: `gateway:${fleet.deviceToken}`,
      org: "",
      bucket: "telemetry/autogen",
    });
    assert.deepEqual(res, { code: 0, stdout: "wrote 1 points\n", stderr: "" });
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), [{ time: second, s1: 5, s2: 6 }]);
  });

  it("the client reports the API's refusals with their status, InfluxDB code and message, and nothing is written", async () => {
    const second = base + 180;
    const unknown = await go("write-points", pointJson("nope", second, { s1: 1 }));
    assert.deepEqual(unknown, {
      code: 1,
      stdout: "",
      stderr: `error: status 400 code "invalid": line 1: unknown asset "nope" (tag asset=<external id of one of this device's assets>)\n`,
    });
    const wrong = await go("write-points", pointJson("engine_1", second, { s1: 1 }), { token: `${fleet.deviceToken.slice(0, -4)}AAAA` });
    assert.deepEqual(wrong, { code: 1, stdout: "", stderr: `error: status 401 code "unauthorized": The device token is not valid.\n` });
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), []);
  });

  it("Health() passes and Ping() answers true", async () => {
    assert.deepEqual(await go("health"), { code: 0, stdout: "influxdb pass\n", stderr: "" });
    assert.deepEqual(await go("ping"), { code: 0, stdout: "ping true\n", stderr: "" });
  });
});
