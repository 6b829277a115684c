import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newPaidTenant } from "./support/billing.js";
import { type Api, newApiKey, newFleet, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { influxql, lines, type QueryAuth } from "./support/query.js";
import { writeV2 } from "./support/telemetry.js";

/** InfluxDB's RFC 3339 form: no fraction of a second when there is none. */
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** InfluxQL reads on /query as v1 clients, the influx CLI and Grafana send them. */
describe("InfluxQL reads on /query", () => {
  let api: Api;
  let t: TestTenant;
  let key: string;
  // Five points a minute apart for engine_1 (s1 = 1..5), two for engine_2 (s1 = 10, 20), an hour ago.
  const base = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;

  before(async () => {
    api = await startApi(testConfig());
    t = await newPaidTenant(api, "Query Reads Ltd");
    const fleet = await newFleet(api, t, { assets: 2, sensors: ["s1", "s2"] });
    key = (await newApiKey(api, t, ["telemetry:read"])).secret;
    const points = [1, 2, 3, 4, 5].map((v, i) => `turbofan,asset=engine_1 s1=${v},s2=${v * 2} ${(base + i * 60_000) / 1000}`);
    points.push(`turbofan,asset=engine_2 s1=10,s2=1 ${base / 1000}`, `turbofan,asset=engine_2 s1=20,s2=2 ${(base + 60_000) / 1000}`);
    const written = await writeV2(api, fleet.deviceToken, points.join("\n"), { precision: "s" });
    assert.equal(written.status, 204, JSON.stringify(written.body));
  });
  after(async () => {
    await api?.close();
  });

  const authForms = (): QueryAuth[] => [
    { kind: "p", key },
    { kind: "basic", key },
    { kind: "token", key },
    { kind: "token-user", key },
    { kind: "bearer", key },
  ];

  it("answers SHOW DATABASES with the public database name, with every auth form, GET and POST", async () => {
    for (const auth of authForms()) {
      for (const method of ["GET", "POST"] as const) {
        const a = await influxql(api, "SHOW DATABASES", { auth, method });
        assert.equal(a.status, 200, `${auth.kind} ${method}: ${a.text}`);
        assert.equal(a.headers.get("content-type"), "application/json");
        assert.equal(a.headers.get("x-influxdb-version"), "1.8-compatible");
        assert.deepEqual(a.body, {
          results: [{ statement_id: 0, series: [{ name: "databases", columns: ["name"], values: [["telemetry"]] }] }],
        });
      }
    }
  });

  it("answers the SHOW statements from the tenant's database, rollups hidden", async () => {
    const q = [
      "SHOW MEASUREMENTS",
      'SHOW TAG KEYS FROM "turbofan"',
      'SHOW TAG VALUES FROM "turbofan" WITH KEY = "asset"',
      "SHOW FIELD KEYS",
      "SHOW RETENTION POLICIES ON telemetry",
      "SHOW MEASUREMENTS WITH MEASUREMENT =~ /turbo/ LIMIT 100",
      "SHOW TAG VALUES WITH KEY IN (asset)",
    ].join("; ");
    const a = await influxql(api, q, { auth: { kind: "token", key }, params: { db: "telemetry" } });
    assert.equal(a.status, 200, a.text);
    const r = a.body.results ?? [];
    assert.deepEqual(r[0]?.series, [{ name: "measurements", columns: ["name"], values: [["turbofan"]] }]);
    assert.deepEqual(r[1]?.series, [{ name: "turbofan", columns: ["tagKey"], values: [["asset"]] }]);
    assert.deepEqual(r[2]?.series?.[0]?.values, [
      ["asset", "engine_1"],
      ["asset", "engine_2"],
    ]);
    assert.deepEqual(r[3]?.series, [
      {
        name: "turbofan",
        columns: ["fieldKey", "fieldType"],
        values: [
          ["s1", "float"],
          ["s2", "float"],
        ],
      },
    ]);
    assert.equal(r[4]?.series?.[0]?.values[0]?.[0], "autogen");
    assert.deepEqual(r[5]?.series?.[0]?.values, [["turbofan"]]);
    assert.equal(r[6]?.series?.[0]?.values.length, 2);
    assert.deepEqual(
      r.map((x) => x.statement_id),
      [0, 1, 2, 3, 4, 5, 6],
    );
  });

  it("answers a Grafana panel's query with epoch=ms", async () => {
    const q = `SELECT mean("s1") FROM "turbofan" WHERE ("asset" = 'engine_1') AND time >= now() - 6h and time <= now() GROUP BY time(1m), "asset" fill(null)`;
    const a = await influxql(api, q, { auth: { kind: "basic", key }, params: { db: "telemetry", epoch: "ms" } });
    assert.equal(a.status, 200, a.text);
    const series = a.body.results?.[0]?.series ?? [];
    assert.equal(series.length, 1);
    assert.deepEqual(series[0]?.tags, { asset: "engine_1" });
    assert.deepEqual(series[0]?.columns, ["time", "mean"]);
    const points = (series[0]?.values ?? []).filter((row) => row[1] !== null);
    assert.deepEqual(
      points,
      [1, 2, 3, 4, 5].map((v, i) => [base + i * 60_000, v]),
    );
  });

  it("answers SELECT with aggregates, math, aliases, tag and time conditions, ORDER BY, LIMIT and RFC 3339 times by default", async () => {
    const from = new Date(base).toISOString();
    const q = [
      `SELECT count(s1), sum(s1), min(s1), max(s1), spread(s1), first(s1), last(s1), median(s1), percentile(s1, 50) FROM turbofan WHERE asset = 'engine_1'`,
      `SELECT s1 * 2 + 1 AS doubled, s2 FROM turbofan WHERE asset =~ /engine_1/ AND time >= '${from}' ORDER BY time DESC LIMIT 2`,
      `SELECT difference(mean(s1)) FROM turbofan WHERE time >= ${base}ms AND time < ${base + 300_000}ms AND asset = 'engine_1' GROUP BY time(1m)`,
      `SELECT derivative(s1, 1m), non_negative_derivative(s1, 1m) FROM turbofan WHERE asset = 'engine_1' LIMIT 1`,
      "SELECT distinct(s1) FROM turbofan WHERE asset != 'engine_1'",
      "SELECT * FROM turbofan GROUP BY * SLIMIT 1",
    ].join(";\n");
    const a = await influxql(api, q, { auth: { kind: "p", key }, method: "POST" });
    assert.equal(a.status, 200, a.text);
    const r = a.body.results ?? [];
    assert.deepEqual(r[0]?.series?.[0]?.columns, ["time", "count", "sum", "min", "max", "spread", "first", "last", "median", "percentile"]);
    assert.deepEqual(r[0]?.series?.[0]?.values[0]?.slice(1), [5, 15, 1, 5, 4, 1, 5, 3, 3]);
    assert.deepEqual(r[1]?.series?.[0]?.columns, ["time", "doubled", "s2"]);
    assert.deepEqual(r[1]?.series?.[0]?.values, [
      [rfc3339(base + 240_000), 11, 10],
      [rfc3339(base + 180_000), 9, 8],
    ]);
    assert.deepEqual(
      r[2]?.series?.[0]?.values.map((row) => row[1]),
      [1, 1, 1, 1],
    );
    assert.deepEqual(r[3]?.series?.[0]?.values[0]?.slice(1), [1, 1]);
    assert.deepEqual(r[4]?.series?.[0]?.values.map((row) => row[1]).sort(), [10, 20]);
    assert.equal(r[5]?.series?.length, 1);
  });

  it("answers each epoch unit", async () => {
    const q = "SELECT s1 FROM turbofan WHERE asset = 'engine_1' LIMIT 1";
    const expected: Record<string, number> = {
      ns: base * 1e6,
      u: base * 1e3,
      µ: base * 1e3,
      ms: base,
      s: base / 1e3,
      m: base / 60_000,
      h: Math.floor(base / 3_600_000),
    };
    for (const [epoch, value] of Object.entries(expected)) {
      const a = await influxql(api, q, { auth: { kind: "token", key }, params: { epoch } });
      assert.equal(a.body.results?.[0]?.series?.[0]?.values[0]?.[0], value, `epoch=${epoch}`);
    }
  });

  it("answers chunked, as InfluxDB does: one line per part, partial on all but the last of a statement", async () => {
    const q = "SELECT s1 FROM turbofan WHERE asset = 'engine_1'; SELECT s1 FROM turbofan GROUP BY asset; SHOW DATABASES";
    const a = await influxql(api, q, { auth: { kind: "token", key }, params: { chunked: "true", chunk_size: "2", epoch: "ms" } });
    assert.equal(a.status, 200, a.text);
    const got = lines(a).map((l) => {
      const r = l.results?.[0];
      return [
        r?.statement_id,
        r?.series?.[0]?.tags?.asset ?? null,
        r?.series?.[0]?.values.length,
        r?.series?.[0]?.partial ?? false,
        r?.partial ?? false,
      ];
    });
    assert.deepEqual(got, [
      [0, null, 2, true, true],
      [0, null, 2, true, true],
      [0, null, 1, false, false],
      [1, "engine_1", 2, true, true],
      [1, "engine_1", 2, true, true],
      [1, "engine_1", 1, false, true],
      [1, "engine_2", 2, false, false],
      [2, null, 1, false, false],
    ]);
  });

  it("answers CREATE DATABASE as a success that changes nothing", async () => {
    const a = await influxql(api, 'CREATE DATABASE "telegraf"', { auth: { kind: "p", key }, method: "POST" });
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.body, { results: [{ statement_id: 0 }] });
    const dbs = await influxql(api, "SHOW DATABASES", { auth: { kind: "p", key } });
    assert.deepEqual(dbs.body.results?.[0]?.series?.[0]?.values, [["telemetry"]]);
  });

  it("answers a statement's error in its result, and the ones after it as not executed", async () => {
    const a = await influxql(api, "SHOW DATABASES; SELECT nosuch(s1) FROM turbofan; SHOW MEASUREMENTS", { auth: { kind: "p", key } });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.body.results?.[0]?.series?.[0]?.name, "databases");
    assert.deepEqual(a.body.results?.[1], { statement_id: 1, error: "undefined function nosuch()" });
    assert.deepEqual(a.body.results?.[2], { statement_id: 2, error: "not executed" });
  });

  it("answers every supported statement with the key as u/p and as a header", async () => {
    const statements = [
      "SHOW DATABASES",
      "SHOW MEASUREMENTS",
      "SHOW MEASUREMENTS WITH MEASUREMENT =~ /tu/ LIMIT 100",
      'SHOW TAG KEYS FROM "turbofan"',
      'SHOW TAG VALUES FROM "turbofan" WITH KEY = "asset"',
      "SHOW TAG VALUES WITH KEY =~ /ass/",
      'SHOW FIELD KEYS FROM "telemetry"."autogen"."turbofan"',
      "SHOW RETENTION POLICIES",
      'SELECT * FROM "autogen"."turbofan" WHERE time > now() - 1d',
      "SELECT mean(s1), stddev(s1), spread(s1) FROM turbofan WHERE time > now() - 1d GROUP BY time(10m, 1m), * fill(linear) tz('Europe/Paris')",
      "SELECT non_negative_derivative(mean(s1), 1m) AS rate FROM turbofan WHERE time > now() - 1d GROUP BY time(1m) fill(none) LIMIT 3 OFFSET 1",
      "SELECT s1 / s2 FROM telemetry..turbofan WHERE s1 > 1 AND asset !~ /_2/ ORDER BY time DESC SLIMIT 1 SOFFSET 0",
      "CREATE DATABASE telemetry",
    ];
    for (const q of statements) {
      for (const auth of [
        { kind: "p", key },
        { kind: "token", key },
      ] as const) {
        const a = await influxql(api, q, { auth, params: { db: "telemetry" } });
        assert.equal(a.status, 200, `${q}: ${a.text}`);
        assert.equal(a.body.results?.[0]?.error, undefined, `${q}: ${a.text}`);
        if (!q.startsWith("CREATE")) assert.ok((a.body.results?.[0]?.series?.length ?? 0) > 0, `${q}: ${a.text}`);
      }
    }
  });

  it("reads q from a form body with the other parameters in the URL (Grafana's POST), with any or an empty Content-Type", async () => {
    const url = `${api.url}/query?db=telemetry&epoch=s&pretty=true`;
    const auth = { authorization: `Token ${key}` };
    const form = await fetch(url, {
      method: "POST",
      headers: { ...auth, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ q: "SELECT last(s1) FROM turbofan WHERE asset = 'engine_1'" }).toString(),
    });
    const text = await form.text();
    assert.equal(form.status, 200, text);
    assert.ok(text.includes('\n    "results": ['), `pretty: ${text}`);
    assert.deepEqual((JSON.parse(text) as { results: { series: { values: unknown[] }[] }[] }).results[0]?.series[0]?.values, [
      [(base + 240_000) / 1000, 5],
    ]);
    const empty = await fetch(`${url}&q=${encodeURIComponent("SHOW DATABASES")}`, {
      method: "POST",
      headers: { ...auth, "content-type": "" },
    });
    assert.equal(empty.status, 200, await empty.text());
  });

  it("answers a tenant without telemetry with empty results", async () => {
    const empty = await newPaidTenant(api, "Empty Ltd");
    const emptyKey = (await newApiKey(api, empty, ["telemetry:read"])).secret;
    const a = await influxql(api, "SHOW MEASUREMENTS; SELECT * FROM turbofan", { auth: { kind: "token", key: emptyKey } });
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.body, { results: [{ statement_id: 0 }, { statement_id: 1 }] });
  });
});
