import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  baseSecond,
  type ClientSetting,
  clientPath,
  clientSetting,
  clientSource,
  pointJson,
  readBack,
  runProgram,
} from "./support/clients.js";

/**
 * The official InfluxDB Python clients from PyPI against the API, run by test/clients/python: the 2.x
 * client (influxdb-client) writes; its reads speak Flux only, so reads go through the 1.x client
 * (influxdb), whose query() speaks InfluxQL to /query with an API key.
 */
describe("the official Python clients", () => {
  let api: ClientSetting["api"];
  let t: ClientSetting["t"];
  let fleet: ClientSetting["fleet"];
  let assetId: string;
  let readKey: string;
  const base = baseSecond();

  before(async () => {
    ({ api, t, fleet, assetId, readKey } = await clientSetting("Python Client Ltd"));
  });
  after(async () => {
    await api?.close();
  });

  /** influx_py.py COMMAND URL TOKEN ORG BUCKET, with `input` on its standard input. */
  const python = (command: string, input: string, credentials: { token?: string; org?: string; bucket?: string } = {}) =>
    runProgram(
      clientPath("python"),
      [
        clientSource("python/influx_py.py"),
        command,
        api.url,
        credentials.token ?? fleet.deviceToken,
        credentials.org ?? "any-org",
        credentials.bucket ?? "telemetry",
      ],
      input,
    );

  /** The 1.x client's query() of `query` with `password` (default: the read key); its raw answers, one per statement. */
  async function queryV1(query: string, password = readKey) {
    const res = await runProgram(clientPath("python"), [
      clientSource("python/influx_py.py"),
      "query-v1",
      api.url,
      "reader",
      password,
      "telemetry",
      query,
    ]);
    return { ...res, answers: res.code === 0 ? (JSON.parse(res.stdout) as unknown[]) : [] };
  }

  it("write_api (synchronous) writes Point objects with a v2 token, read back through GraphQL and /query", async () => {
    const points = [pointJson("engine_1", base, { s1: 1.25, s2: 2 }), pointJson("engine_1", base + 1, { s1: 3.5, s2: 4 })];
    const res = await python("write-points", points.join("\n"));
    assert.deepEqual(res, { code: 0, stdout: "wrote 2 points\n", stderr: "" });
    assert.deepEqual(await readBack(api, t.token, assetId, base, base + 2), [
      { time: base, s1: 1.25, s2: 2 },
      { time: base + 1, s1: 3.5, s2: 4 },
    ]);
    const read = await queryV1(`SELECT s1, s2 FROM turbofan WHERE time >= ${base}s AND time < ${base + 2}s; SHOW MEASUREMENTS`);
    assert.deepEqual(read, {
      code: 0,
      stdout: read.stdout,
      stderr: "",
      answers: [
        {
          statement_id: 0,
          series: [
            {
              name: "turbofan",
              columns: ["time", "s1", "s2"],
              values: [
                [base, 1.25, 2],
                [base + 1, 3.5, 4],
              ],
            },
          ],
        },
        { statement_id: 1, series: [{ name: "measurements", columns: ["name"], values: [["turbofan"]] }] },
      ],
    });
  });

  it("the 1.x client's write_points() writes through /write with the device token as password", async () => {
    const second = base + 240;
    const res = await runProgram(
      clientPath("python"),
      [clientSource("python/influx_py.py"), "write-v1", api.url, "gateway", fleet.deviceToken, "telemetry"],
      pointJson("engine_1", second, { s1: 11, s2: 12 }),
    );
    assert.deepEqual(res, { code: 0, stdout: "wrote 1 points\n", stderr: "" });
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), [{ time: second, s1: 11, s2: 12 }]);
    const read = await queryV1(
      `SELECT mean(s1) FROM turbofan WHERE asset = 'engine_1' AND time >= ${second}s AND time < ${second + 60}s GROUP BY time(1m)`,
    );
    assert.deepEqual(read.answers, [
      { statement_id: 0, series: [{ name: "turbofan", columns: ["time", "mean"], values: [[second, 11]] }] },
    ]);
  });

  it("the 1.x client's query() raises the refusals of /query: a statement outside the subset, a device token", async () => {
    const drop = await queryV1("DROP MEASUREMENT turbofan");
    assert.equal(drop.code, 1);
    assert.match(drop.stderr, /^error: status 403: .*error authorizing query: DROP is not served/);
    const device = await queryV1("SHOW MEASUREMENTS", fleet.deviceToken);
    assert.equal(device.code, 1);
    assert.match(device.stderr, /^error: status 403: .*Device tokens only write telemetry/);
  });

  it("write_api writes line protocol records as they are", async () => {
    const second = base + 60;
    const res = await python("write-lines", `turbofan,asset=engine_1 s1=7,s2=8 ${second}\n`);
    assert.deepEqual(res, { code: 0, stdout: "wrote 1 lines\n", stderr: "" });
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), [{ time: second, s1: 7, s2: 8 }]);
  });

  it("the InfluxDB 1.8 form (token user:password, bucket database/retention-policy) writes too", async () => {
    const second = base + 120;
    const res = await python("write-points", pointJson("engine_1", second, { s1: 9, s2: 10 }), {
      token: `gateway:${fleet.deviceToken}`,
      org: "-",
      bucket: "telemetry/autogen",
    });
    assert.deepEqual(res, { code: 0, stdout: "wrote 1 points\n", stderr: "" });
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), [{ time: second, s1: 9, s2: 10 }]);
  });

  it("the client raises the API's refusals with their status and InfluxDB's error body, and nothing is written", async () => {
    const second = base + 180;
    const unknown = await python("write-points", pointJson("nope", second, { s1: 1 }));
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error: status 400: \{"code":"invalid","message":"line 1: unknown asset \\"nope\\"/);

    const wrong = await python("write-points", pointJson("engine_1", second, { s1: 1 }), {
      token: `${fleet.deviceToken.slice(0, -4)}AAAA`,
    });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^error: status 401: \{"code":"unauthorized","message":"The device token is not valid\."/);
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), []);
  });

  it("ping() answers True", async () => {
    const res = await runProgram(clientPath("python"), [clientSource("python/influx_py.py"), "ping", api.url]);
    assert.deepEqual(res, { code: 0, stdout: "ping True\n", stderr: "" });
  });
});
