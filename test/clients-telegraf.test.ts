import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { baseSecond, type ClientSetting, clientPath, clientSetting, readBack, runProgram, scratchFolder } from "./support/clients.js";

/**
 * Telegraf (built with only the plugins used here) reading line protocol from a file and flushing it
 * once through each of its InfluxDB outputs: `influxdb` (1.x, /write) and `influxdb_v2` (/api/v2/write).
 */
describe("Telegraf's InfluxDB outputs", () => {
  let api: ClientSetting["api"];
  let t: ClientSetting["t"];
  let fleet: ClientSetting["fleet"];
  let assetId: string;
  const base = baseSecond();
  const files = scratchFolder();

  before(async () => {
    ({ api, t, fleet, assetId } = await clientSetting("Telegraf Ltd"));
  });
  after(async () => {
    files.remove();
    await api?.close();
  });

  /** Runs Telegraf once (gather, flush, exit) with the file input over `lines` and one output section. */
  async function telegrafOnce(name: string, lines: readonly string[], output: string) {
    const input = files.write(`${name}.lp`, `${lines.join("\n")}\n`);
    const config = files.write(
      `${name}.conf`,
      [
        "[agent]",
        "  omit_hostname = true",
        "[[inputs.file]]",
        `  files = [${JSON.stringify(input)}]`,
        '  data_format = "influx"',
        output,
        "",
      ].join("\n"),
    );
    return runProgram(clientPath("telegraf"), ["--config", config, "--once"]);
  }

  const ns = (second: number) => `${second}000000000`;
  const v1Output = (password: string) =>
    [
      "[[outputs.influxdb]]",
      `  urls = [${JSON.stringify(api.url)}]`,
      '  database = "telemetry"',
      '  username = "gateway"',
      `  password = ${JSON.stringify(password)}`,
    ].join("\n");
  const v2Output = (token: string) =>
    [
      "[[outputs.influxdb_v2]]",
      `  urls = [${JSON.stringify(api.url)}]`,
      `  token = ${JSON.stringify(token)}`,
      '  organization = "any-org"',
      '  bucket = "telemetry"',
    ].join("\n");

  it("outputs.influxdb (1.x, username and password) writes the metrics, read back through GraphQL", async () => {
    const res = await telegrafOnce(
      "v1",
      [`turbofan,asset=engine_1 s1=1.5,s2=2 ${ns(base)}`, `turbofan,asset=engine_1 s1=2.5,s2=3 ${ns(base + 1)}`],
      v1Output(fleet.deviceToken),
    );
    assert.equal(res.code, 0, res.stderr);
    assert.doesNotMatch(res.stderr, /E! |W! \[outputs/, res.stderr);
    assert.deepEqual(await readBack(api, t.token, assetId, base, base + 2), [
      { time: base, s1: 1.5, s2: 2 },
      { time: base + 1, s1: 2.5, s2: 3 },
    ]);
  });

  it("outputs.influxdb_v2 (token) writes the metrics, read back through GraphQL", async () => {
    const first = base + 60;
    const res = await telegrafOnce(
      "v2",
      [`turbofan,asset=engine_1 s1=7,s2=8 ${ns(first)}`, `turbofan,asset=engine_1 s1=9 ${ns(first + 1)}`],
      v2Output(fleet.deviceToken),
    );
    assert.equal(res.code, 0, res.stderr);
    assert.doesNotMatch(res.stderr, /E! |W! \[outputs/, res.stderr);
    assert.deepEqual(await readBack(api, t.token, assetId, first, first + 2), [
      { time: first, s1: 7, s2: 8 },
      { time: first + 1, s1: 9, s2: null },
    ]);
  });

  it("the CREATE DATABASE the 1.x output sends with its device token is answered as success; nothing else is a device's to ask", async () => {
    const ask = async (q: string) => {
      const params = new URLSearchParams({ q, u: "gateway", p: fleet.deviceToken });
      const res = await fetch(`${api.url}/query`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: params.toString(),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    assert.deepEqual(await ask('CREATE DATABASE "telemetry"'), { status: 200, body: { results: [{ statement_id: 0 }] } });
    for (const q of ['CREATE DATABASE "telemetry"; SHOW DATABASES', "SHOW MEASUREMENTS", "SELECT s1 FROM turbofan"]) {
      const res = await ask(q);
      assert.equal(res.status, 403, q);
      assert.match(String(res.body.error), /Device tokens only write telemetry/, q);
    }
  });

  it("both outputs log the API's refusal of a wrong token, and nothing is written", async () => {
    const second = base + 120;
    const wrong = `${fleet.deviceToken.slice(0, -4)}AAAA`;
    const v1 = await telegrafOnce("v1-wrong", [`turbofan,asset=engine_1 s1=1 ${ns(second)}`], v1Output(wrong));
    const v2 = await telegrafOnce("v2-wrong", [`turbofan,asset=engine_1 s1=1 ${ns(second)}`], v2Output(wrong));
    assert.match(v1.stderr, /E! .*outputs\.influxdb.*The device token is not valid/);
    assert.match(v2.stderr, /E! .*outputs\.influxdb_v2.*The device token is not valid/);
    assert.deepEqual(await readBack(api, t.token, assetId, second, second + 1), []);
  });
});
