import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildStatement } from "../src/telemetry/influx/influxql-build.js";
import type { Statement, StoreStatement } from "../src/telemetry/influxql/ast.js";
import { checkDatabases, statementProblem, timeRange } from "../src/telemetry/influxql/checks.js";
import { InfluxqlRefusal } from "../src/telemetry/influxql/errors.js";
import { parseInfluxql } from "../src/telemetry/influxql/parse.js";

const one = (q: string): Statement => {
  const [s, ...rest] = parseInfluxql(q);
  assert.ok(s && rest.length === 0, q);
  return s;
};

/** The statement as the store sends it, sources by their names. */
const built = (s: Statement): string => {
  assert.ok(s.kind !== "showDatabases" && s.kind !== "createDatabase");
  const store = s as StoreStatement;
  // Patterns stand for the measurements they match (the store asks InfluxDB which): one here.
  const names = "from" in store ? store.from.map((f) => (f.kind === "measurement" ? f.name : "matched")) : [];
  return buildStatement(store, "t_db", names);
};

const refusal = (q: string): InfluxqlRefusal => {
  try {
    parseInfluxql(q);
  } catch (error) {
    assert.ok(error instanceof InfluxqlRefusal, `${q}: ${String(error)}`);
    return error;
  }
  assert.fail(`${q} was read`);
};

describe("InfluxQL subset: reading", () => {
  it("reads Grafana's panel query into a typed statement", () => {
    const s = one(
      `SELECT mean("value") FROM "m" WHERE ("asset" = 'e1') AND time >= now() - 6h and time <= now() GROUP BY time(10s), "asset" fill(null)`,
    );
    assert.equal(s.kind, "select");
    if (s.kind !== "select") return;
    assert.deepEqual(s.fields, [{ expr: { kind: "call", name: "mean", args: [{ kind: "ref", name: "value" }] }, alias: undefined }]);
    assert.deepEqual(s.from, [{ kind: "measurement", name: "m" }]);
    assert.deepEqual(s.groupBy, [
      { kind: "time", interval: { kind: "duration", amount: "10", unit: "s" }, offset: undefined },
      { kind: "tag", name: "asset" },
    ]);
    assert.deepEqual(s.fill, { kind: "null" });
    assert.equal(
      built(s),
      `SELECT mean("value") FROM "m" WHERE ("asset" = 'e1') AND "time" >= now() - 6h AND "time" <= now() GROUP BY time(10s), "asset" fill(null)`,
    );
  });

  it("reads every clause of SELECT and rebuilds it", () => {
    const s = one(
      `select percentile("s1", 95) AS p, "s1"::field * 2 + 1, count(*), difference(mean(s2)) from "db"."autogen"."m", /x/ where "asset" =~ /^e\\/1$/ and host != 'a\\'b' or time > 1700000000000ms group by time(1m, -30s), *, /reg/ fill(previous) order by time desc limit 10 offset 2 slimit 3 soffset 1 tz('Europe/Paris')`,
    );
    assert.equal(s.kind, "select");
    if (s.kind !== "select") return;
    assert.deepEqual(s.from, [
      { kind: "measurement", name: "m", database: "db", rp: "autogen" },
      { kind: "regex", pattern: "x", rp: undefined },
    ]);
    assert.equal(
      built(s),
      `SELECT percentile("s1", 95) AS "p", "s1"::field * 2 + 1, count(*), difference(mean("s2")) FROM "m", "matched" WHERE "asset" =~ /^e\\/1$/ AND "host" != 'a\\'b' OR "time" > 1700000000000ms GROUP BY time(1m, -30s), *, /reg/ fill(previous) ORDER BY time DESC LIMIT 10 OFFSET 2 SLIMIT 3 SOFFSET 1 tz('Europe/Paris')`,
    );
  });

  it("reads the SHOW statements and CREATE DATABASE", () => {
    assert.deepEqual(one("SHOW DATABASES"), { kind: "showDatabases" });
    assert.deepEqual(one('create database "telegraf"'), { kind: "createDatabase", name: "telegraf" });
    assert.equal(built(one("SHOW MEASUREMENTS LIMIT 100")), "SHOW MEASUREMENTS LIMIT 100");
    assert.equal(built(one("SHOW MEASUREMENTS WITH MEASUREMENT =~ /x/")), "SHOW MEASUREMENTS WITH MEASUREMENT =~ /x/");
    assert.equal(built(one('SHOW TAG KEYS FROM "m"')), 'SHOW TAG KEYS FROM "m"');
    assert.equal(built(one('SHOW TAG VALUES FROM "m" WITH KEY = "asset"')), 'SHOW TAG VALUES FROM "m" WITH KEY = "asset"');
    assert.equal(
      built(one("SHOW TAG VALUES WITH KEY IN (a, \"b\") WHERE x = 'y'")),
      `SHOW TAG VALUES WITH KEY IN ("a", "b") WHERE "x" = 'y'`,
    );
    assert.equal(built(one("SHOW TAG VALUES WITH KEY =~ /as/")), "SHOW TAG VALUES WITH KEY =~ /as/");
    assert.equal(built(one("SHOW FIELD KEYS FROM m")), 'SHOW FIELD KEYS FROM "m"');
    assert.equal(built(one("SHOW RETENTION POLICIES ON telemetry")), 'SHOW RETENTION POLICIES ON "t_db"');
    assert.equal(parseInfluxql("SHOW DATABASES;; SHOW MEASUREMENTS;").length, 2);
  });

  it("skips comments and never carries them into a statement", () => {
    assert.equal(built(one("SELECT s1 -- ; DROP DATABASE x\nFROM m /* ; KILL QUERY 1 */")), 'SELECT "s1" FROM "m"');
  });

  it("quotes names and strings it rebuilds, whatever they hold", () => {
    const s = one(`SELECT "a\\"b" FROM "x\\\\\\"; DROP" WHERE t = 'it\\'s\\nnew'`);
    assert.equal(built(s), `SELECT "a\\"b" FROM "x\\\\\\"; DROP" WHERE "t" = 'it\\'s\\nnew'`);
    assert.deepEqual(one(built(s)), s);
  });
});

describe("InfluxQL subset: refusals", () => {
  it("refuses what InfluxDB reads but this API does not serve, naming what it serves", () => {
    for (const q of [
      "DROP DATABASE x",
      "DELETE FROM m",
      "KILL QUERY 1",
      "SHOW USERS",
      "GRANT ALL TO u",
      "REVOKE ALL FROM u",
      "CREATE USER u WITH PASSWORD 'p'",
      "ALTER RETENTION POLICY a ON b DURATION 1d",
      "SHOW QUERIES",
      "SHOW DIAGNOSTICS",
      "SHOW STATS",
      "SELECT * INTO x FROM m",
      "SELECT * FROM (SELECT * FROM m)",
      "SELECT mean(x) FROM m WHERE (SELECT 1)",
      "SHOW MEASUREMENTS; DROP MEASUREMENT m",
    ]) {
      const r = refusal(q);
      assert.equal(r.kind, "forbidden", q);
      assert.match(r.message, /supported: SELECT/, q);
    }
    for (const q of [
      'SELECT * FROM "other".."m"',
      "SELECT * FROM other.autogen./x/",
      "SHOW MEASUREMENTS ON other",
      "SELECT * FROM telemetry.rp2.m",
    ]) {
      assert.throws(
        () => checkDatabases(parseInfluxql(q), "telemetry"),
        (e) => e instanceof InfluxqlRefusal && e.kind === "forbidden",
        q,
      );
    }
    checkDatabases(
      parseInfluxql('SELECT * FROM "telemetry"."autogen"."m", "autogen".m, telemetry..m; SHOW TAG KEYS ON telemetry'),
      "telemetry",
    );
  });

  it("answers unknown functions as the statement's error", () => {
    assert.equal(statementProblem(one("SELECT nosuch(x) FROM m"), 0), "undefined function nosuch()");
    assert.match(statementProblem(one("SELECT x FROM m WHERE mean(x) > 1"), 0) ?? "", /only now\(\)/);
    assert.equal(statementProblem(one("SELECT mean(x) FROM m WHERE time > now() - 1h GROUP BY time(1m)"), Date.now()), undefined);
    assert.match(
      statementProblem(one("SELECT mean(x) FROM m WHERE time > now() - 1d GROUP BY time(1s)"), Date.now()) ?? "",
      /86400 windows/,
    );
  });

  it("reads the time range of a WHERE clause", () => {
    const s = one("SELECT x FROM m WHERE time >= '2026-01-01T00:00:00Z' AND time < 1767229200000ms AND a = 'b'");
    assert.ok(s.kind === "select");
    assert.deepEqual(timeRange(s.kind === "select" ? s.where : undefined, 0), {
      from: Date.parse("2026-01-01T00:00:00Z"),
      to: 1767229200000,
    });
  });

  it("answers text it cannot read with InfluxDB's parse error and place", () => {
    assert.equal(refusal("SELECT x\nFROM").message, "found EOF, expected measurement at line 2, char 5");
    assert.equal(refusal("").message, "empty query");
    for (const q of [
      "SELECT",
      "SELEC x FROM m",
      "SELECT x FROM m WHERE a = 'open",
      'SELECT "open FROM m',
      "SELECT x FROM m WHERE a =~ /open",
      "SELECT x FROM m /* open",
    ]) {
      assert.equal(refusal(q).kind, "parse", q);
    }
  });
});

describe("InfluxQL subset: bounded work on hostile text", () => {
  it("refuses deep nesting with a parse error, not a stack overflow", () => {
    for (const q of [
      `SELECT ${"(".repeat(60_000)}x FROM m`,
      `SELECT ${"-(".repeat(30_000)}x FROM m`,
      `SELECT ${"abs(".repeat(10_000)}x${")".repeat(10_000)} FROM m`,
      `SELECT x FROM m WHERE ${"(".repeat(30_000)}a = 1${")".repeat(30_000)}`,
    ]) {
      const r = refusal(q);
      assert.equal(r.kind, "parse");
      assert.match(r.message, /nested deeper than 64 levels|longer than/);
    }
  });

  it("refuses a statement of more than 1000 operators, which would be a tree as deep", () => {
    for (const term of ["a = 1 AND ", "a + ", "now() + ", "1 OR "]) {
      const r = refusal(`SELECT x FROM m WHERE ${term.repeat(Math.floor(60_000 / term.length))}1`);
      assert.match(r.message, /more than 1000 operators/);
    }
    const [s] = parseInfluxql(`SELECT x FROM m WHERE ${"a = 1 OR ".repeat(499)}1 = 1`);
    assert.ok(s);
    assert.ok(built(s).length > 4_000);
  });

  it("reads or refuses long and odd text without a regular expression running over it", () => {
    const inputs = [
      `SELECT x FROM m WHERE ${Array.from({ length: 400 }, (_, i) => `a = '${i}'`).join(" OR ")}`,
      `SELECT x FROM m WHERE a = '${"\\'".repeat(30_000)}'`,
      `SELECT x FROM m WHERE a =~ /${"\\/".repeat(30_000)}/`,
      `SELECT x FROM "${"\\\\".repeat(30_000)}"`,
      `-- ${"x".repeat(60_000)}`,
      `SELECT x FROM m WHERE a =~ /${"(a+)+".repeat(10_000)}$/`,
      "SHOW DATABASES;".repeat(20),
      `SELECT ${"1".repeat(60_000)} FROM m`,
    ];
    for (const q of inputs) {
      try {
        parseInfluxql(q);
      } catch (error) {
        assert.ok(error instanceof InfluxqlRefusal, String(error));
      }
    }
  });

  it("rebuilds every statement it reads into text it reads the same way (seeded random token soup)", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = (items: readonly string[]) => items[Math.floor(random() * items.length)] ?? "";
    const atoms = [
      "x",
      '"i\\"d"',
      "'s\\'q'",
      "1.5",
      "10s",
      "now()",
      "mean(x)",
      "-x",
      "time",
      "a::tag",
      "'a\\nb'",
      '"\\\\"',
      "*",
      "/r\\/e/",
    ];
    const ops = ["=", "!=", "<", ">=", "+", "-", "*", "/", "AND", "OR", "=~", "!~"];
    const expr = (depth: number): string => {
      const r = random();
      if (depth > 3 || r < 0.3) return pick(atoms);
      if (r < 0.5) return `(${expr(depth + 1)})`;
      if (r < 0.6) return `abs(${expr(depth + 1)})`;
      return `${expr(depth + 1)} ${pick(ops)} ${expr(depth + 1)}`;
    };
    const tails = [
      "",
      " GROUP BY time(1m)",
      " GROUP BY *, a fill(0)",
      " ORDER BY time DESC LIMIT 5",
      " -- ; DROP x",
      " tz('Z')",
      " SLIMIT 2",
      " GROUP BY /r/ fill(linear)",
    ];
    let read = 0;
    for (let i = 0; i < 20_000; i++) {
      const shape = random();
      const text =
        shape < 0.7
          ? `SELECT ${expr(0)}${random() < 0.3 ? ` AS ${pick(atoms)}` : ""} FROM ${pick(["m", '"q\\"m"', "/re/", "db..m"])}${random() < 0.7 ? ` WHERE ${expr(0)}` : ""}${pick(tails)}`
          : `SHOW ${pick(["TAG VALUES WITH KEY = k", "TAG KEYS", "MEASUREMENTS", "FIELD KEYS"])}${random() < 0.5 ? ` WHERE ${expr(0)}` : ""}`;
      let statements: Statement[];
      try {
        statements = parseInfluxql(text);
      } catch (error) {
        assert.ok(error instanceof InfluxqlRefusal, `${text}: ${String(error)}`);
        continue;
      }
      for (const s of statements) {
        if (s.kind === "showDatabases" || s.kind === "createDatabase") continue;
        const once = built(s);
        assert.equal(built(one(once)), once, text);
        read++;
      }
    }
    assert.ok(read > 100, `only ${read} statements were read`);
  });
});
