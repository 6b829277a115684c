import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { baseSecond, type ClientSetting, clientPath, clientSetting, readBack, runProgram, scratchFolder } from "./support/clients.js";

/**
 * The influx 1.x CLI (Debian's influxdb-client) against the API: it writes with a device token as its
 * password, and reads through /query with an API key that has telemetry:read.
 */
describe("the influx CLI", () => {
  let api: ClientSetting["api"];
  let t: ClientSetting["t"];
  let fleet: ClientSetting["fleet"];
  let assetId: string;
  let readKey: string;
  const base = baseSecond();
  const files = scratchFolder();

  before(async () => {
    ({ api, t, fleet, assetId, readKey } = await clientSetting("Influx CLI Ltd"));
  });
  after(async () => {
    files.remove();
    await api?.close();
  });

  /** The CLI pointed at the API; `password` defaults to the device token. */
  const influx = (args: readonly string[], password = fleet.deviceToken) => {
    const { hostname, port } = new URL(api.url);
    return runProgram(clientPath("influx"), ["-host", hostname, "-port", port, "-username", "gateway", "-password", password, ...args]);
  };

  /** `-execute` of InfluxQL with the read key, answered as JSON with times in seconds. */
  async function select(query: string, password = readKey) {
    const res = await influx(["-database", "telemetry", "-precision", "s", "-format", "json", "-execute", query], password);
    assert.deepEqual([res.code, res.stderr], [0, ""], res.stdout);
    return JSON.parse(res.stdout) as { results: { series?: { name: string; columns: string[]; values: unknown[][] }[] }[] };
  }

  it("-execute 'INSERT …' with -precision s writes the point, read back through GraphQL", async () => {
    const second = base;
    const res = await influx([
      "-database",
      "telemetry",
      "-precision",
      "s",
      "-execute",
      `INSERT turbofan,asset=engine_1 s1=1.5,s2=2 ${second}`,
    ]);
    assert.deepEqual(res, { code: 0, stdout: "", stderr: "" });
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), [{ time: second, s1: 1.5, s2: 2 }]);
    assert.deepEqual(
      await select(`SELECT s1, s2 FROM turbofan WHERE asset = 'engine_1' AND time >= ${second}s AND time < ${second + 1}s`),
      {
        results: [{ series: [{ name: "turbofan", columns: ["time", "s1", "s2"], values: [[second, 1.5, 2]] }] }],
      },
    );
  });

  it("-import of a file (a DML section with its database context) writes every line", async () => {
    const first = base + 60;
    const file = files.write(
      "import.txt",
      [
        "# DML",
        "# CONTEXT-DATABASE: telemetry",
        "# CONTEXT-RETENTION-POLICY: autogen",
        `turbofan,asset=engine_1 s1=10,s2=20 ${first}`,
        `turbofan,asset=engine_1 s1=11,s2=21 ${first + 1}`,
        `turbofan,asset=engine_1 s1=12 ${first + 2}`,
        "",
      ].join("\n"),
    );
    const res = await influx(["-import", "-path", file, "-precision", "s"]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Processed 3 inserts/);
    assert.match(res.stdout, /Failed 0 inserts/);
    assert.deepEqual(await readBack(api, t.token, assetId, first, first + 3), [
      { time: first, s1: 10, s2: 20 },
      { time: first + 1, s1: 11, s2: 21 },
      { time: first + 2, s1: 12, s2: null },
    ]);
    assert.deepEqual(await select(`SELECT * FROM turbofan WHERE time >= ${first}s AND time < ${first + 3}s`), {
      results: [
        {
          series: [
            {
              name: "turbofan",
              columns: ["time", "asset", "s1", "s2"],
              values: [
                [first, "engine_1", 10, 20],
                [first + 1, "engine_1", 11, 21],
                [first + 2, "engine_1", 12, null],
              ],
            },
          ],
        },
      ],
    });
  });

  it("-execute 'SHOW MEASUREMENTS' and 'SHOW DATABASES' with the read key name the tenant's own", async () => {
    assert.deepEqual(await select("SHOW MEASUREMENTS"), {
      results: [{ series: [{ name: "measurements", columns: ["name"], values: [["turbofan"]] }] }],
    });
    assert.deepEqual(await select("SHOW DATABASES"), {
      results: [{ series: [{ name: "databases", columns: ["name"], values: [["telemetry"]] }] }],
    });
  });

  it("-execute of a statement outside the subset, or a read with the device token, prints the refusal and exits 1", async () => {
    const drop = await influx(["-database", "telemetry", "-execute", "DROP MEASUREMENT turbofan"], readKey);
    assert.equal(drop.code, 1);
    assert.match(drop.stderr, /error authorizing query: DROP is not served; supported: SELECT/);
    const device = await influx(["-database", "telemetry", "-execute", "SHOW MEASUREMENTS"]);
    assert.equal(device.code, 1);
    assert.match(device.stderr, /Device tokens only write telemetry; reads need an API key/);
  });

  it("-import shows the API's refusal of a line and exits 1, writing nothing of the refused batch", async () => {
    const first = base + 120;
    const file = files.write(
      "refused.txt",
      ["# DML", "# CONTEXT-DATABASE: telemetry", `turbofan,asset=engine_1 s1=1 ${first}`, `turbofan,asset=nope s1=2 ${first + 1}`, ""].join(
        "\n",
      ),
    );
    const res = await influx(["-import", "-path", file, "-precision", "s"]);
    assert.equal(res.code, 1);
    // The CLI's importer sends its batch with a blank line between points: the API numbers body lines.
    assert.match(res.stderr, /error writing batch: .*line 3: unknown asset \\"nope\\"/);
    assert.match(res.stderr, /2 points were not inserted/);
    assert.deepEqual(await readBack(api, t.token, assetId, first, first + 2), []);
  });

  it("-execute 'INSERT …' with a wrong password prints the API's 401 answer and writes nothing", async () => {
    const second = base + 180;
    const wrong = `${fleet.deviceToken.slice(0, -4)}AAAA`;
    const res = await influx(
      ["-database", "telemetry", "-precision", "s", "-execute", `INSERT turbofan,asset=engine_1 s1=1 ${second}`],
      wrong,
    );
    // The 1.x CLI reports a failed INSERT on its output and still exits 0.
    assert.match(res.stdout + res.stderr, /ERR: .*The device token is not valid/);
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), []);
  });
});
