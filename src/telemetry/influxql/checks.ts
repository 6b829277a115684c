import type { DurationUnit, Expr, SelectStatement, Source, Statement } from "./ast.js";
import { refused } from "./errors.js";
import { FUNCTIONS, WHERE_FUNCTIONS } from "./functions.js";

/** Windows per series a GROUP BY time() may make over the statement's time range. */
export const MAX_WINDOWS = 50_000;

/**
 * Points top(), bottom(), sample() and moving_average() may keep per series: InfluxDB sets aside
 * room for all of them before it reads a point, so a larger count exhausts its memory.
 */
export const MAX_KEPT_POINTS = 1_000;

/** The functions whose last argument is a count of points InfluxDB keeps per series. */
const KEEPING_FUNCTIONS: ReadonlySet<string> = new Set(["top", "bottom", "sample", "moving_average"]);

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

type Call = Extract<Expr, { kind: "call" }>;

function* callsOf(e: Expr | undefined): Generator<Call> {
  if (!e) return;
  switch (e.kind) {
    case "call":
      yield e;
      for (const a of e.args) yield* callsOf(a);
      return;
    case "binary":
      yield* callsOf(e.left);
      yield* callsOf(e.right);
      return;
    case "neg":
    case "paren":
      yield* callsOf(e.expr);
      return;
    default:
      return;
  }
}

function* calls(e: Expr | undefined): Generator<string> {
  for (const call of callsOf(e)) yield call.name;
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
    case "neg": {
      const value = timeValue(e.expr, nowMs);
      return value === undefined ? undefined : -value;
    }
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

/**
 * The time range a WHERE clause bounds, from the comparisons on `time` joined by AND at its top;
 * `unread` when a comparison on `time` there has a value this reading does not know.
 */
export function timeRange(where: Expr | undefined, nowMs: number): { from?: number; to?: number; unread?: boolean } {
  const out: { from?: number; to?: number; unread?: boolean } = {};
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
    if (ms === undefined) {
      out.unread = true;
      return;
    }
    if (op === ">" || op === ">=" || op === "=") out.from = Math.max(out.from ?? -Infinity, ms);
    if (op === "<" || op === "<=" || op === "=") out.to = Math.min(out.to ?? Infinity, ms);
  };
  if (where) visit(where);
  return out;
}

/** A count of kept points larger than InfluxDB can hold, in a call of the SELECT's fields. */
function keptPointsProblem(call: Call): string | undefined {
  if (!KEEPING_FUNCTIONS.has(call.name)) return undefined;
  const count = call.args[call.args.length - 1];
  if (count?.kind !== "number" || count.text.includes(".") || Number(count.text) <= MAX_KEPT_POINTS) return undefined;
  return `${call.name}() takes at most ${MAX_KEPT_POINTS} points per series, not ${count.text}`;
}

function selectProblem(s: SelectStatement, nowMs: number): string | undefined {
  for (const f of s.fields) {
    for (const call of callsOf(f.expr)) {
      if (!FUNCTIONS.has(call.name)) return `undefined function ${call.name}()`;
      const kept = keptPointsProblem(call);
      if (kept !== undefined) return kept;
    }
  }
  for (const name of calls(s.where))
    if (!WHERE_FUNCTIONS.has(name)) return `undefined function ${name}() in WHERE (only now() is served there)`;
  const time = s.groupBy.find((d) => d.kind === "time");
  if (time?.kind === "time") {
    const d = time.interval;
    const interval = d.kind === "duration" ? timeValue(d, nowMs) : undefined;
    if (d.kind !== "duration" || interval === undefined || interval <= 0) return "time() takes a positive duration, e.g. time(10s)";
    const { from, to = nowMs, unread } = timeRange(s.where, nowMs);
    // Without a lower bound InfluxDB starts the windows at the first point, or at the epoch for a bound it reads otherwise.
    if (from === undefined || unread) {
      return "GROUP BY time() needs a lower time bound in WHERE, joined by AND and written as now(), a time string, an integer of nanoseconds or durations: e.g. WHERE time > now() - 1h";
    }
    const windows = Math.ceil((to - from) / interval);
    if (windows > MAX_WINDOWS) {
      return `GROUP BY time(${d.amount}${d.unit}) makes ${windows} windows over this time range, more than ${MAX_WINDOWS}: use a longer interval or a shorter range`;
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
