import type { Dimension, Expr, Fill, NameCondition, Paging, SelectStatement, StoreStatement } from "../influxql/ast.js";
import { ident, str } from "./influxql.js";

/**
 * Statement text rebuilt from the typed statements of the /query route: every name goes through
 * `ident`, every string through `str`, patterns through `regex`, numbers and durations are digits
 * the lexer checked. Sources are bare measurement names: the database is the request's `db`
 * parameter, which the store sets to the tenant's own.
 */

const BUILT_NAME = /^[a-z_][a-z0-9_]*$/;

/** A pattern between slashes; every `/` escaped (a backslash before one is always half of a `\\` pair). */
export const regex = (pattern: string): string => `/${pattern.replace(/\n/g, "\\n").replace(/\//g, "\\/")}/`;

export function expr(e: Expr): string {
  switch (e.kind) {
    case "number":
      return e.text;
    case "string":
      return str(e.value);
    case "bool":
      return e.value ? "true" : "false";
    case "duration":
      return `${e.amount}${e.unit === "µ" ? "u" : e.unit}`;
    case "regex":
      return regex(e.pattern);
    case "ref":
      return e.cast ? `${ident(e.name)}::${e.cast}` : ident(e.name);
    case "wildcard":
      return e.only ? `*::${e.only}` : "*";
    case "call":
      if (!BUILT_NAME.test(e.name)) throw new Error(`Not a function name: ${e.name}`);
      return `${e.name}(${e.args.map(expr).join(", ")})`;
    case "binary":
      return `${expr(e.left)} ${e.op} ${expr(e.right)}`;
    case "neg":
      return `-${expr(e.expr)}`;
    case "paren":
      return `(${expr(e.expr)})`;
  }
}

const paging = (p: Paging): string =>
  `${p.limit === undefined ? "" : ` LIMIT ${p.limit}`}${p.offset === undefined ? "" : ` OFFSET ${p.offset}`}`;

const where = (e: Expr | undefined): string => (e ? ` WHERE ${expr(e)}` : "");

const from = (measurements: readonly string[]): string => (measurements.length > 0 ? ` FROM ${measurements.map(ident).join(", ")}` : "");

function condition(c: NameCondition): string {
  switch (c.op) {
    case "IN":
      return `IN (${c.names.map(ident).join(", ")})`;
    case "=~":
    case "!~":
      return `${c.op} ${regex(c.pattern)}`;
    default:
      return `${c.op} ${ident(c.name)}`;
  }
}

function dimension(d: Dimension): string {
  switch (d.kind) {
    case "time":
      return `time(${expr(d.interval)}${d.offset ? `, ${expr(d.offset)}` : ""})`;
    case "tag":
      return ident(d.name);
    case "regex":
      return regex(d.pattern);
    case "all":
      return "*";
  }
}

const fill = (f: Fill): string => ` fill(${f.kind === "value" ? expr(f.value) : f.kind})`;

function select(s: SelectStatement, measurements: readonly string[]): string {
  const fields = s.fields.map((f) => `${expr(f.expr)}${f.alias === undefined ? "" : ` AS ${ident(f.alias)}`}`).join(", ");
  const group = s.groupBy.length > 0 ? ` GROUP BY ${s.groupBy.map(dimension).join(", ")}` : "";
  const order = s.order === "DESC" ? " ORDER BY time DESC" : "";
  const series = `${s.slimit === undefined ? "" : ` SLIMIT ${s.slimit}`}${s.soffset === undefined ? "" : ` SOFFSET ${s.soffset}`}`;
  const tz = s.tz === undefined ? "" : ` tz(${str(s.tz)})`;
  return `SELECT ${fields}${from(measurements)}${where(s.where)}${group}${s.fill ? fill(s.fill) : ""}${order}${paging(s)}${series}${tz}`;
}

/**
 * The text of one statement for the tenant's database `database`; `measurements` replaces the
 * statement's sources (patterns already matched against the tenant's measurements).
 */
export function buildStatement(s: StoreStatement, database: string, measurements: readonly string[]): string {
  switch (s.kind) {
    case "select":
      return select(s, measurements);
    case "showMeasurements":
      return `SHOW MEASUREMENTS${s.measurement ? ` WITH MEASUREMENT ${condition(s.measurement)}` : ""}${where(s.where)}${paging(s)}`;
    case "showTagKeys":
      return `SHOW TAG KEYS${from(measurements)}${where(s.where)}${paging(s)}`;
    case "showTagValues":
      return `SHOW TAG VALUES${from(measurements)} WITH KEY ${condition(s.key)}${where(s.where)}${paging(s)}`;
    case "showFieldKeys":
      return `SHOW FIELD KEYS${from(measurements)}${paging(s)}`;
    case "showRetentionPolicies":
      return `SHOW RETENTION POLICIES ON ${ident(database)}`;
  }
}

/** The tenant's measurements that match a pattern. */
export const matchingMeasurements = (pattern: string): string => `SHOW MEASUREMENTS WITH MEASUREMENT =~ ${regex(pattern)}`;
