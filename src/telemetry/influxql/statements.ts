import type { Dimension, Fill, NameCondition, SelectField, SelectStatement, Source, Statement } from "./ast.js";
import type { Cursor } from "./cursor.js";
import { parseError, refused } from "./errors.js";

/** Statements InfluxDB knows that this API does not serve, by their first words. */
const REFUSED_VERBS = ["DROP", "DELETE", "KILL", "GRANT", "REVOKE", "ALTER", "SET", "EXPLAIN"];
const REFUSED_SHOWS = ["USERS", "QUERIES", "DIAGNOSTICS", "STATS", "GRANTS", "SERIES", "SHARDS", "SHARD", "SUBSCRIPTIONS", "CONTINUOUS"];

/** `[db.][rp.]measurement` or a pattern in the same places. */
function source(c: Cursor): Source {
  const parts: (string | undefined)[] = [];
  for (;;) {
    const pattern = c.regex();
    if (pattern !== undefined) {
      if (parts.length === 2) return { kind: "regex", pattern, database: parts[0], rp: parts[1] };
      return { kind: "regex", pattern, rp: parts[0] };
    }
    if (c.isOp(".") && parts.length < 2) {
      parts.push(undefined);
    } else {
      parts.push(c.ident("measurement"));
      if (parts.length === 3 || !c.isOp(".")) break;
    }
    c.op(".");
  }
  const name = parts[parts.length - 1];
  if (name === undefined) return c.fail("measurement");
  if (parts.length === 3) return { kind: "measurement", name, database: parts[0], rp: parts[1] };
  if (parts.length === 2) return { kind: "measurement", name, rp: parts[0] };
  return { kind: "measurement", name };
}

/** Patterns one statement's sources may hold: each is a read of the tenant's measurements before the statement runs. */
export const MAX_PATTERN_SOURCES = 10;

function sources(c: Cursor): Source[] {
  if (c.isOp("(")) {
    c.advance();
    if (c.isKeyword("SELECT")) throw refused("Subqueries are not served");
    c.fail("measurement");
  }
  const out: Source[] = [];
  let patterns = 0;
  do {
    const pos = c.tok.pos;
    const next = source(c);
    if (next.kind === "regex" && ++patterns > MAX_PATTERN_SOURCES) {
      throw parseError(`a statement's FROM holds at most ${MAX_PATTERN_SOURCES} patterns: join them into one, e.g. /^(a|b)$/`, pos);
    }
    out.push(next);
  } while (c.acceptOp(","));
  return out;
}

function paging(c: Cursor): { limit?: number; offset?: number } {
  const out: { limit?: number; offset?: number } = {};
  if (c.acceptKeyword("LIMIT")) out.limit = c.integer("LIMIT");
  if (c.acceptKeyword("OFFSET")) out.offset = c.integer("OFFSET");
  return out;
}

function nameCondition(c: Cursor): NameCondition {
  if (c.acceptKeyword("IN")) {
    c.op("(");
    const names = [c.ident("tag key")];
    while (c.acceptOp(",")) names.push(c.ident("tag key"));
    c.op(")");
    return { op: "IN", names };
  }
  for (const op of ["=~", "!~"] as const) {
    if (c.acceptOp(op)) {
      const pattern = c.regex();
      if (pattern === undefined) c.fail("regular expression");
      return { op, pattern };
    }
  }
  for (const op of ["=", "!=", "<>"] as const) {
    if (c.acceptOp(op)) return { op, name: c.ident() };
  }
  return c.fail("=, !=, =~, !~ or IN");
}

/** `ON db`: kept to check it names the tenant's database. */
const on = (c: Cursor): string | undefined => (c.acceptKeyword("ON") ? c.ident("database") : undefined);

function show(c: Cursor): Statement {
  if (c.acceptKeyword("DATABASES")) return { kind: "showDatabases" };
  if (c.acceptKeyword("RETENTION")) {
    c.keyword("POLICIES");
    return { kind: "showRetentionPolicies", database: on(c) };
  }
  if (c.acceptKeyword("MEASUREMENTS")) {
    const database = on(c);
    let measurement: NameCondition | undefined;
    if (c.acceptKeyword("WITH")) {
      c.keyword("MEASUREMENT");
      measurement = nameCondition(c);
      if (measurement.op === "IN") throw parseError("WITH MEASUREMENT takes =, !=, =~ or !~", c.tok.pos);
    }
    const where = c.acceptKeyword("WHERE") ? c.expr() : undefined;
    return { kind: "showMeasurements", database, measurement, where, ...paging(c) };
  }
  if (c.acceptKeyword("FIELD")) {
    c.keyword("KEYS");
    const database = on(c);
    const from = c.acceptKeyword("FROM") ? sources(c) : [];
    return { kind: "showFieldKeys", database, from, ...paging(c) };
  }
  if (c.acceptKeyword("TAG")) {
    if (c.acceptKeyword("KEYS")) {
      const database = on(c);
      const from = c.acceptKeyword("FROM") ? sources(c) : [];
      const where = c.acceptKeyword("WHERE") ? c.expr() : undefined;
      return { kind: "showTagKeys", database, from, where, ...paging(c) };
    }
    c.keyword("VALUES");
    const database = on(c);
    const from = c.acceptKeyword("FROM") ? sources(c) : [];
    c.keyword("WITH");
    c.keyword("KEY");
    const key = nameCondition(c);
    const where = c.acceptKeyword("WHERE") ? c.expr() : undefined;
    return { kind: "showTagValues", database, from, key, where, ...paging(c) };
  }
  const what = REFUSED_SHOWS.find((w) => c.isKeyword(w));
  if (what) throw refused(`SHOW ${what === "SHARD" || what === "CONTINUOUS" ? `${what} …` : what} is not served`);
  return c.fail("DATABASES, MEASUREMENTS, TAG KEYS, TAG VALUES, FIELD KEYS or RETENTION POLICIES");
}

function field(c: Cursor): SelectField {
  const expr = c.expr();
  const alias = c.acceptKeyword("AS") ? c.ident("alias") : undefined;
  return { expr, alias };
}

function dimension(c: Cursor): Dimension {
  if (c.acceptOp("*")) return { kind: "all" };
  const pattern = c.regex();
  if (pattern !== undefined) return { kind: "regex", pattern };
  if (c.tok.kind === "ident" && c.tok.text.toLowerCase() === "time") {
    c.advance();
    if (!c.isOp("(")) return { kind: "tag", name: "time" };
    c.op("(");
    const interval = c.expr();
    const offset = c.acceptOp(",") ? c.expr() : undefined;
    c.op(")");
    return { kind: "time", interval, offset };
  }
  return { kind: "tag", name: c.ident("tag key") };
}

function fill(c: Cursor): Fill {
  c.op("(");
  let out: Fill;
  const word = c.tok.kind === "ident" ? c.tok.text.toLowerCase() : "";
  if (word === "null" || word === "none" || word === "previous" || word === "linear") {
    c.advance();
    out = { kind: word };
  } else {
    out = { kind: "value", value: c.expr() };
  }
  c.op(")");
  return out;
}

function select(c: Cursor): SelectStatement {
  const fields = [field(c)];
  while (c.acceptOp(",")) fields.push(field(c));
  if (c.isKeyword("INTO")) throw refused("SELECT … INTO writes data and is not served");
  c.keyword("FROM");
  const from = sources(c);
  const where = c.acceptKeyword("WHERE") ? c.expr() : undefined;
  const groupBy: Dimension[] = [];
  if (c.acceptKeyword("GROUP")) {
    c.keyword("BY");
    do groupBy.push(dimension(c));
    while (c.acceptOp(","));
  }
  const filled = c.acceptKeyword("FILL") ? fill(c) : undefined;
  let order: "ASC" | "DESC" = "ASC";
  if (c.acceptKeyword("ORDER")) {
    c.keyword("BY");
    if (!c.acceptKeyword("TIME")) c.fail("time");
    if (c.acceptKeyword("DESC")) order = "DESC";
    else c.acceptKeyword("ASC");
  }
  const { limit, offset } = paging(c);
  const slimit = c.acceptKeyword("SLIMIT") ? c.integer("SLIMIT") : undefined;
  const soffset = c.acceptKeyword("SOFFSET") ? c.integer("SOFFSET") : undefined;
  let tz: string | undefined;
  if (c.acceptKeyword("TZ")) {
    c.op("(");
    tz = c.string("time zone");
    c.op(")");
  }
  return { kind: "select", fields, from, where, groupBy, fill: filled, order, limit, offset, slimit, soffset, tz };
}

/** One statement, from its first word; the cursor is left on what follows it. */
export function statement(c: Cursor): Statement {
  if (c.acceptKeyword("SELECT")) return select(c);
  if (c.acceptKeyword("SHOW")) return show(c);
  if (c.acceptKeyword("CREATE")) {
    if (!c.acceptKeyword("DATABASE")) {
      const what = c.tok.kind === "ident" ? c.tok.text.toUpperCase() : "that";
      throw refused(`CREATE ${what} is not served`);
    }
    const name = c.ident("database name");
    if (c.isKeyword("WITH")) throw refused("CREATE DATABASE … WITH is not served (retention is set by the plan)");
    return { kind: "createDatabase", name };
  }
  const verb = REFUSED_VERBS.find((w) => c.isKeyword(w));
  if (verb) throw refused(`${verb} is not served`);
  return c.fail("SELECT, SHOW or CREATE DATABASE");
}
