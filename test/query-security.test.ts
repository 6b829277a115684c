import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newPaidTenant } from "./support/billing.js";
import { type Api, addMember, newApiKey, newFleet, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { influxQuery } from "./support/influx.js";
import { influxql, lines, type QueryAnswer } from "./support/query.js";
import { writeV2 } from "./support/telemetry.js";

/** A value only the other tenant ever writes: no answer to this tenant may hold it. */
const OTHER_VALUE = 777_777;

describe("/query security: tenant isolation, authentication and refusals", () => {
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  let key: string;
  let deviceToken: string;
  const second = Math.floor(Date.now() / 1000) - 600;

  before(async () => {
    api = await startApi(testConfig());
    a = await newPaidTenant(api, "Query Tenant A");
    b = await newPaidTenant(api, "Query Tenant B");
    const fleetA = await newFleet(api, a, { assets: 1, sensors: ["s1"] });
    const fleetB = await newFleet(api, b, { assets: 1, sensors: ["s1"] });
    key = (await newApiKey(api, a, ["telemetry:read"])).secret;
    deviceToken = fleetA.deviceToken;
    // The same measurement, tag and field names in both tenants; distinct values.
    assert.equal((await writeV2(api, fleetA.deviceToken, `turbofan,asset=engine_1 s1=1 ${second}`, { precision: "s" })).status, 204);
    assert.equal(
      (await writeV2(api, fleetB.deviceToken, `turbofan,asset=engine_1 s1=${OTHER_VALUE} ${second}`, { precision: "s" })).status,
      204,
    );
  });
  after(async () => {
    await api?.close();
  });

  /** Nothing of tenant B, nor any internal database name, in an answer to tenant A. */
  const assertOwnOnly = (answer: QueryAnswer, what: string) => {
    assert.ok(!answer.text.includes(String(OTHER_VALUE)), `${what}: the other tenant's value leaked: ${answer.text}`);
    // A refusal may quote the caller's own text; nothing else may name a tenant or a database.
    if (answer.status === 403) return;
    assert.ok(!answer.text.includes(b.tenantId) && !answer.text.includes(a.tenantId), `${what}: a tenant id leaked: ${answer.text}`);
    assert.ok(!answer.text.includes("t_ten_"), `${what}: an internal database name leaked: ${answer.text}`);
  };

  it("answers 401 in InfluxDB's shape without a credential or with a wrong one", async () => {
    for (const answer of [
      await influxql(api, "SHOW DATABASES", { auth: { kind: "none" } }),
      await influxql(api, "SHOW DATABASES", { auth: { kind: "p", key: "pdm_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" } }),
      await influxql(api, "SHOW DATABASES", { auth: { kind: "token", key: "not-a-key" } }),
    ]) {
      assert.equal(answer.status, 401, answer.text);
      assert.equal(typeof answer.body.error, "string");
      assert.deepEqual(Object.keys(answer.body), ["error"]);
    }
  });

  it("refuses device tokens (403, reads need an API key with telemetry:read) and keys or members without the scope", async () => {
    const device = await influxql(api, "SHOW DATABASES", { auth: { kind: "token", key: deviceToken } });
    assert.equal(device.status, 403, device.text);
    assert.match(device.body.error ?? "", /API key.*telemetry:read/);
    const noScope = (await newApiKey(api, a, ["tenant:read"])).secret;
    const keyed = await influxql(api, "SHOW DATABASES", { auth: { kind: "basic", key: noScope } });
    assert.equal(keyed.status, 403, keyed.text);
    assert.match(keyed.body.error ?? "", /telemetry:read/);
    const finance = await addMember(api, a, "FINANCE");
    assert.equal((await influxql(api, "SHOW DATABASES", { auth: { kind: "bearer", key: finance.token } })).status, 403);
    const viewer = await addMember(api, a, "VIEWER");
    const read = await influxql(api, "SELECT s1 FROM turbofan", { auth: { kind: "bearer", key: viewer.token } });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.results?.[0]?.series?.[0]?.values[0]?.[1], 1);
  });

  it("refuses every statement outside the subset, and other databases, before anything runs", async () => {
    const forbidden = [
      `SELECT * FROM "t_${b.tenantId}"."autogen"."turbofan"`,
      'SELECT * FROM "othertenantdb"."autogen"."turbofan"',
      'SELECT * FROM "othertenantdb".."turbofan"',
      `SELECT * FROM "t_${b.tenantId}"./.*/`,
      'SELECT * FROM "telemetry"."other_rp"."turbofan"',
      'SELECT * FROM "_internal".."cq"',
      'SELECT * INTO "copy" FROM turbofan',
      "SELECT * FROM (SELECT * FROM turbofan)",
      "SELECT s1 FROM turbofan; DROP DATABASE telemetry",
      "SELECT s1 FROM turbofan -- a comment ends at the line's end\n; DROP MEASUREMENT turbofan",
      "SELECT s1 FROM turbofan /* a comment */; DELETE FROM turbofan",
      "DROP DATABASE telemetry",
      "DROP SERIES FROM turbofan",
      "DELETE FROM turbofan WHERE time < now()",
      "KILL QUERY 1",
      "SHOW USERS",
      "GRANT ALL TO reader",
      "REVOKE ALL PRIVILEGES FROM reader",
      "CREATE USER admin WITH PASSWORD 'x' WITH ALL PRIVILEGES",
      "CREATE RETENTION POLICY forever ON telemetry DURATION INF REPLICATION 1",
      "CREATE CONTINUOUS QUERY cq ON telemetry BEGIN SELECT mean(s1) INTO m2 FROM turbofan GROUP BY time(1h) END",
      "ALTER RETENTION POLICY autogen ON telemetry DURATION 1h",
      "SHOW QUERIES",
      "SHOW DIAGNOSTICS",
      "SHOW STATS",
      "SHOW GRANTS FOR reader",
      "SHOW SHARDS",
      "SHOW SUBSCRIPTIONS",
      `SHOW MEASUREMENTS ON "t_${b.tenantId}"`,
      'SHOW TAG KEYS ON "_internal"',
      'SHOW FIELD KEYS FROM "othertenantdb"."autogen"."turbofan"',
      'SHOW RETENTION POLICIES ON "_internal"',
    ];
    for (const q of forbidden) {
      const answer = await influxql(api, q, { auth: { kind: "token", key } });
      assert.equal(answer.status, 403, `${q}: ${answer.text}`);
      assert.match(answer.body.error ?? "", /^error authorizing query: .*supported: SELECT/, q);
      assertOwnOnly(answer, q);
    }
    // The database and retention policy of the request's parameters too.
    const wrong: Record<string, string>[] = [{ db: `t_${b.tenantId}` }, { db: "_internal" }, { rp: "other" }];
    for (const params of wrong) {
      const answer = await influxql(api, "SELECT * FROM turbofan", { auth: { kind: "token", key }, params });
      assert.equal(answer.status, 403, `${JSON.stringify(params)}: ${answer.text}`);
      assertOwnOnly(answer, JSON.stringify(params));
    }
  });

  it("answers text it cannot read with 400 and InfluxDB's parse error", async () => {
    for (const q of [
      "SELECT",
      "SELECT s1 FROM",
      "SELEC * FROM turbofan",
      "SELECT * FROM turbofan WHERE asset = 'unterminated",
      "SELECT * FROM turbofan WHERE s1 = /x",
      ";;",
    ]) {
      const answer = await influxql(api, q, { auth: { kind: "p", key } });
      assert.equal(answer.status, 400, `${q}: ${answer.text}`);
      assert.match(answer.body.error ?? "", /^error parsing query: /, q);
    }
    const located = await influxql(api, "SELECT s1\nFROM", { auth: { kind: "p", key } });
    assert.equal(located.body.error, "error parsing query: found EOF, expected measurement at line 2, char 5");
  });

  it("never lets names or strings reach InfluxDB as statement text", async () => {
    const attempts = [
      'SELECT * FROM "turbofan\\" ; DROP DATABASE telemetry --"',
      "SELECT * FROM turbofan WHERE asset = 'x\\' OR 1=1 --'",
      "SELECT * FROM turbofan WHERE asset = 'engine_1\\\\'",
      'SELECT * FROM "a\\nb"',
      "SELECT * FROM turbofan WHERE asset = 'line\\nbreak'",
      'SELECT "s1\\" FROM \\"x" FROM turbofan',
      "SELECT * FROM turbofan WHERE \"asset\\\"=''\" = 'engine_1'",
      "SELECT * FROM turbofan WHERE asset =~ /x\\/ OR 1=1/",
      "SELECT * FROM turbofan -- ; DROP DATABASE telemetry",
      `SELECT * FROM "turbofan" WHERE asset = 't_${b.tenantId}'`,
    ];
    for (const q of attempts) {
      const answer = await influxql(api, q, { auth: { kind: "token", key } });
      assert.equal(answer.status, 200, `${q}: ${answer.text}`);
      assertOwnOnly(answer, q);
      const result = answer.body.results?.[0];
      assert.ok(result?.error === undefined || !/DROP|parsing/i.test(result.error), `${q}: ${answer.text}`);
    }
    // Tenant A's point and tenant B's are still there.
    assert.equal((await influxQuery(api, b.tenantId, 'SELECT count("s1") FROM "turbofan"'))[0]?.[0]?.values[0]?.[1], 1);
    assert.equal((await influxQuery(api, a.tenantId, 'SELECT count("s1") FROM "turbofan"'))[0]?.[0]?.values[0]?.[1], 1);
  });

  it("matches pattern sources against the tenant's own measurements only, and hides the rollups", async () => {
    await influxQuery(api, a.tenantId, 'SELECT max("s1") AS "max_s1" INTO "turbofan:1h" FROM "turbofan" GROUP BY time(1h), *');
    for (const q of [
      "SELECT * FROM /.*/",
      "SELECT * FROM /turbo/, turbofan",
      "SELECT * FROM /:1h/",
      'SELECT * FROM "turbofan:1h"',
      "SHOW MEASUREMENTS",
      "SHOW MEASUREMENTS WITH MEASUREMENT =~ /.*/",
      "SHOW FIELD KEYS",
      "SHOW TAG KEYS",
      "SHOW TAG VALUES WITH KEY = asset",
      "SHOW TAG VALUES FROM /.*/ WITH KEY =~ /.*/",
    ]) {
      const answer = await influxql(api, q, { auth: { kind: "token", key }, params: { chunked: "true" } });
      assert.equal(answer.status, 200, `${q}: ${answer.text}`);
      assertOwnOnly(answer, q);
      assert.ok(!answer.text.includes(":1h") && !answer.text.includes("max_s1"), `${q}: a rollup shows: ${answer.text}`);
      for (const line of lines(answer)) assert.equal(line.results?.[0]?.error, undefined, `${q}: ${answer.text}`);
    }
    const all = await influxql(api, "SELECT s1 FROM /.*/", { auth: { kind: "token", key } });
    assert.deepEqual(
      all.body.results?.[0]?.series?.[0]?.values.map((row) => row[1]),
      [1],
    );
  });

  it("bounds the work: query length, statements per request, nesting, windows per series", async () => {
    const long = await influxql(api, `SELECT s1 FROM turbofan WHERE ${"s1 > 0 AND ".repeat(7_000)}s1 > 0`, {
      auth: { kind: "token", key },
      method: "POST",
    });
    assert.equal(long.status, 400);
    assert.match(long.body.error ?? "", /longer than 65536 bytes/);
    const many = await influxql(api, "SHOW DATABASES;".repeat(21), { auth: { kind: "token", key } });
    assert.equal(many.status, 400);
    assert.match(many.body.error ?? "", /at most 20 statements/);
    const nested = await influxql(api, `SELECT ${"(".repeat(5_000)}s1${")".repeat(5_000)} FROM turbofan`, {
      auth: { kind: "token", key },
      method: "POST",
    });
    assert.equal(nested.status, 400);
    assert.match(nested.body.error ?? "", /nested deeper than 64/);
    const windows = await influxql(api, "SELECT mean(s1) FROM turbofan WHERE time > now() - 30d GROUP BY time(1s)", {
      auth: { kind: "token", key },
    });
    assert.equal(windows.status, 200);
    assert.match(windows.body.results?.[0]?.error ?? "", /windows over this time range, more than 50000/);
  });
});
