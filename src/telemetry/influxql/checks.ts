import type { DurationUnit, Expr, SelectStatement, Source, Statement } from "./ast.js";
import { refused } from "./errors.js";
import { FUNCTIONS, WHERE_FUNCTIONS } from "./functions.js";

/** Windows per series a GROUP BY time() may make over the statement's time range. */
export const MAX_WINDOWS = 50_000;

const UNIT_MS: Record<DurationUnit, number> = {
  ns: 1e-6,
  u: 1e-3,
  µ: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The only retention policy a tenant's database has. */
const RETENTION_POLICY = "autogen";

/** Refuses a database name other than the public one (undefined: the request's, which is). */
export function checkDatabaseName(name: string | undefined, publicName: string): void {
  if (name !== undefined && name !== publicName) {
    throw refused(`Database "${name}" is not served: each tenant reads its own telemetry as the database "${publicName}"`);
  }
}

export function checkRetentionPolicy(rp: string | undefined, publicName: string): void {
  if (rp !== undefined && rp !== RETENTION_POLICY) {
    throw refused(`Retention policy "${rp}" is not served: the database "${publicName}" has only "${RETENTION_POLICY}"`);
  }
}

/**
 * Refuses (as InfluxDB refuses a user without the privilege) any statement that names another
 * database than the public one, or another retention policy than the tenant's one.
 */
export function checkDatabases(statements: readonly Statement[], publicName: string): void {
  const database = (name: string | undefined) => checkDatabaseName(name, publicName);
  const source = (s: Source) => {
    database(s.database);
    checkRetentionPolicy(s.rp, publicName);
  };
  for (const s of statements) {
    switch (s.kind) {
      case "select":
        s.from.forEach(source);
        break;
      case "showTagKeys":
      case "showTagValues":
      case "showFieldKeys":
        database(s.database);
        s.from.forEach(source);
        break;
      case "showMeasurements":
      case "showRetentionPolicies":
        database(s.database);
        break;
      case "showDatabases":
      case "createDatabase":
        break;
    }
  }
}

function* calls(e: Expr | undefined): Generator<string> {
  if (!e) return;
  switch (e.kind) {
    case "call":
      yield e.name;
      for (const a of e.args) yield* calls(a);
      return;
    case "binary":
      yield* calls(e.left);
      yield* calls(e.right);
      return;
    case "neg":
    case "paren":
      yield* calls(e.expr);
      return;
    default:
      return;
  }
}

/** Milliseconds since the epoch of a time expression (now(), a string, an integer of ns, sums of durations), if it is one. */
export function timeValue(e: Expr, nowMs: number): number | undefined {
  switch (e.kind) {
    case "call":
      return e.name === "now" && e.args.length === 0 ? nowMs : undefined;
    case "string": {
      const ms = Date.parse(e.value);
      return Number.isNaN(ms) ? undefined : ms;
    }
    case "number":
      return e.text.includes(".") ? undefined : Number(e.text) / 1e6;
    case "duration":
      return Number(e.amount) * UNIT_MS[e.unit];
    case "paren":
      return timeValue(e.expr, nowMs);
    case "binary": {
      if (e.op !== "+" && e.op !== "-") return undefined;
      const l = timeValue(e.left, nowMs);
      const r = timeValue(e.right, nowMs);
      if (l === undefined || r === undefined) return undefined;
      return e.op === "+" ? l + r : l - r;
    }
    default:
      return undefined;
  }
}

const isTime = (e: Expr) => e.kind === "ref" && e.name.toLowerCase() === "time";

/** The time range a WHERE clause bounds, from the comparisons on `time` joined by AND at its top. */
export function timeRange(where: Expr | undefined, nowMs: number): { from?: number; to?: number } {
  const out: { from?: number; to?: number } = {};
  const visit = (e: Expr) => {
    if (e.kind === "paren") return visit(e.expr);
    if (e.kind !== "binary") return;
    if (e.op === "AND") {
      visit(e.left);
      visit(e.right);
      return;
    }
    const flipped: Partial<Record<string, string>> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=" };
    const [op, value] = isTime(e.left) ? [e.op, e.right] : isTime(e.right) ? [flipped[e.op], e.left] : [undefined, undefined];
    if (!op || !value) return;
    const ms = timeValue(value, nowMs);
    if (ms === undefined) return;
    if (op === ">" || op === ">=" || op === "=") out.from = Math.max(out.from ?? -Infinity, ms);
    if (op === "<" || op === "<=" || op === "=") out.to = Math.min(out.to ?? Infinity, ms);
  };
  if (where) visit(where);
  return out;
}

function selectProblem(s: SelectStatement, nowMs: number): string | undefined {
  for (const f of s.fields) {
    for (const name of calls(f.expr)) if (!FUNCTIONS.has(name)) return `undefined function ${name}()`;
  }
  for (const name of calls(s.where))
    if (!WHERE_FUNCTIONS.has(name)) return `undefined function ${name}() in WHERE (only now() is served there)`;
  const time = s.groupBy.find((d) => d.kind === "time");
  if (time?.kind === "time") {
    const d = time.interval;
    const interval = d.kind === "duration" ? timeValue(d, nowMs) : undefined;
    if (d.kind !== "duration" || interval === undefined || interval <= 0) return "time() takes a positive duration, e.g. time(10s)";
    const { from, to = nowMs } = timeRange(s.where, nowMs);
    if (from !== undefined) {
      const windows = Math.ceil((to - from) / interval);
      if (windows > MAX_WINDOWS) {
        return `GROUP BY time(${d.amount}${d.unit}) makes ${windows} windows over this time range, more than ${MAX_WINDOWS}: use a longer interval or a shorter range`;
      }
    }
  }
  return undefined;
}

/** What InfluxDB would answer as this statement's error before running it, if anything. */
export function statementProblem(s: Statement, nowMs: number): string | undefined {
  if (s.kind === "select") return selectProblem(s, nowMs);
  if (s.kind === "showMeasurements" || s.kind === "showTagKeys" || s.kind === "showTagValues") {
    for (const name of calls(s.where))
      if (!WHERE_FUNCTIONS.has(name)) return `undefined function ${name}() in WHERE (only now() is served there)`;
  }
  return undefined;
}
