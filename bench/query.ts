import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { getOperationAST, parse } from "graphql";
import { actualCost } from "../src/api/limits/actual.js";
import { analyseOperation } from "../src/api/limits/analyse.js";
import { chargeCost } from "../src/api/limits/throttle.js";
import { buildApiSchema } from "../src/api/schema.js";
import { parseConfig } from "../src/config.js";
import { connectDb } from "../src/db/client.js";
import { queryAnswerSchema } from "../src/telemetry/influx/store.js";
import {
  API_PROFILE_RULES,
  ascending,
  type BenchTenant,
  fieldSets,
  type Influx,
  influxFromEnv,
  influxQueryText,
  int,
  median,
  monotonicUs,
  nsTimestamp,
  printProfile,
  quantile,
  say,
  setUpTenant,
  summarizeProfile,
  tenantDatabase,
  turbofanLine,
  withApi,
} from "./support.js";

/**
 * Aggregate query latency: one day of one engine at one point per minute, read as 1-minute means
 * of 3 sensors (1,440 windows), (a) as InfluxQL straight to InfluxDB (the baseline) and (b) as the
 * GraphQL `telemetryAggregate` query with a member's token. Requests alternate between the two,
 * one at a time; a request's time runs until its whole body has arrived. Then the fixed and the
 * per-row parts of what the GraphQL path adds.
 *
 * Last, what the GraphQL limits and the rate limiter add per request (limits on vs off, same run).
 *
 * Usage: node dist/bench/query.js [requests per side, default 300] [--profile]
 * --profile adds a CPU profile of the API process while it answers the GraphQL query.
 */
const argv = process.argv.slice(2);
const PROFILE = argv.includes("--profile");
const REQUESTS = Number(argv.find((a) => /^\d+$/.test(a)) ?? 300);
const WARMUP = 30;
const PARTS_REQUESTS = 100;
const WINDOWS = 1_440;
const LOADED_ENGINES = 5;
const SENSORS = ["s1", "s2", "s3"] as const;
const GOAL_RATIO = 1.2;
const LIMITS_REQUESTS = 200;

if (!Number.isInteger(REQUESTS) || REQUESTS < 10) throw new Error("the request count must be a whole number ≥ 10");

interface Row {
  readonly time: number;
  readonly values: readonly (number | null)[];
}

const influx: Influx = influxFromEnv();
// One full day of whole minutes, ending more than an hour ago.
const to = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
const from = to - WINDOWS * 60_000;
const nsOf = (ms: number) => `${BigInt(ms) * 1_000_000n}`;

const influxql = (fromMs: number, toMs: number) =>
  `SELECT ${SENSORS.map((s) => `mean("${s}") AS "${s}"`).join(", ")} FROM "turbofan" WHERE "asset" = 'engine_1' ` +
  `AND time >= ${nsOf(fromMs)} AND time < ${nsOf(toMs)} GROUP BY time(60s) fill(none)`;

const AGGREGATE = `query ($assetId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $sensors: [String!]) {
  telemetryAggregate(assetId: $assetId, from: $from, to: $to, windowSeconds: 60, aggregate: MEAN, sensors: $sensors) {
    sensors
    times
    values
  }
}`;

/** One request: resolves with its latency in ms and the body's text. */
type Probe = () => Promise<{ ms: number; text: string }>;

function direct(tenant: BenchTenant, fromMs: number, toMs: number): Probe {
  const params = { db: tenantDatabase(tenant.tenantId), epoch: "ms", q: influxql(fromMs, toMs) };
  return async () => {
    const started = performance.now();
    const text = await influxQueryText(influx, params);
    return { ms: performance.now() - started, text };
  };
}

function overGraphql(url: string, query: string, variables: Record<string, unknown>, token?: string): Probe {
  const body = JSON.stringify({ query, variables });
  const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
  return async () => {
    const started = performance.now();
    const res = await fetch(`${url}/graphql`, { method: "POST", headers, body });
    const text = await res.text();
    const ms = performance.now() - started;
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`GraphQL answered ${res.status}: ${text.slice(0, 300)}`);
    return { ms, text };
  };
}

function influxRows(text: string): Row[] {
  const answer = JSON.parse(text) as { results: { series?: { values?: (number | null)[][] }[] }[] };
  return (answer.results[0]?.series?.[0]?.values ?? []).map(([time, ...values]) => ({ time: Number(time), values }));
}

function graphqlRows(text: string): Row[] {
  const answer = JSON.parse(text) as { data?: { telemetryAggregate?: { times: string[]; values: (number | null)[][] } } };
  const table = answer.data?.telemetryAggregate;
  return (table?.times ?? []).map((time, i) => ({
    time: Date.parse(time),
    values: (table?.values ?? []).map((column) => column[i] ?? null),
  }));
}

/** Both answers hold `WINDOWS` rows with the same times and exactly the same values. */
function sameAnswer(a: readonly Row[], b: readonly Row[]): string | undefined {
  if (a.length !== WINDOWS || b.length !== WINDOWS) return `windows: InfluxDB ${a.length}, GraphQL ${b.length}, expected ${WINDOWS}`;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (!x || !y || x.time !== y.time || x.values.length !== y.values.length || x.values.some((v, k) => v !== y.values[k])) {
      return `row ${i} differs: InfluxDB ${JSON.stringify(x)}, GraphQL ${JSON.stringify(y)}`;
    }
  }
  return undefined;
}

/** Runs the probes in turn, `rounds` times after `warmup` rounds, alternating which goes first; latencies per probe. */
async function interleave(probes: readonly Probe[], rounds: number, warmup: number): Promise<number[][]> {
  const latencies = probes.map((): number[] => []);
  for (let round = 0; round < warmup + rounds; round++) {
    const order = round % 2 === 0 ? probes.map((_, i) => i) : probes.map((_, i) => probes.length - 1 - i);
    for (const i of order) {
      const probe = probes[i];
      if (!probe) continue;
      const { ms } = await probe();
      if (round >= warmup) latencies[i]?.push(ms);
    }
  }
  return latencies;
}

async function load(url: string, tenant: BenchTenant): Promise<number> {
  const fields = fieldSets(WINDOWS * LOADED_ENGINES, 23);
  const lines: string[] = [];
  for (let engine = 1; engine <= LOADED_ENGINES; engine++) {
    for (let minute = 0; minute < WINDOWS; minute++) {
      // engine_1 exactly on the minute; the others a few seconds into it.
      const ms = from + minute * 60_000 + (engine - 1) * 7_000;
      lines.push(turbofanLine(engine, fields[(engine - 1) * WINDOWS + minute] ?? "", nsTimestamp(ms)));
    }
  }
  const res = await fetch(`${url}/api/v2/write?org=o&bucket=b&precision=ns`, {
    method: "POST",
    headers: { authorization: `Token ${tenant.deviceToken}`, "content-type": "text/plain; charset=utf-8" },
    body: `${lines.join("\n")}\n`,
  });
  const text = await res.text();
  if (res.status !== 204) throw new Error(`loading answered ${res.status}: ${text.slice(0, 300)}`);
  return lines.length;
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(6)} ms`;
const kb = (text: string) => `${(Buffer.byteLength(text) / 1024).toFixed(0)} KB`;

say(
  `query: 1-minute means of ${SENSORS.length} sensors of engine_1 over one day (${int(WINDOWS)} windows of one point each); ` +
    `${REQUESTS} requests per side, alternating, one at a time, after ${WARMUP} warm-up rounds; Node ${process.version}, ${availableParallelism()} CPUs`,
);

let tenant: BenchTenant | undefined;
await withApi({}, async (api) => {
  tenant = await setUpTenant(api.url, "query");
  const engine1 = tenant.assetIds.get("engine_1");
  if (!engine1) throw new Error("engine_1 was not created");
  const loaded = await load(api.url, tenant);
  say(
    `loaded ${int(loaded)} points through the API (${LOADED_ENGINES} engines × ${int(WINDOWS)} minutes), ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
  );

  const baseline = direct(tenant, from, to);
  const variables = { assetId: engine1, from: new Date(from).toISOString(), to: new Date(to).toISOString(), sensors: SENSORS };
  const viaApi = overGraphql(api.url, AGGREGATE, variables, tenant.token);

  const check = async (when: string) => {
    const [a, b] = [await baseline(), await viaApi()];
    const problem = sameAnswer(influxRows(a.text), graphqlRows(b.text));
    say(`check ${when}: both answer ${problem ? `differently: ${problem}` : `${int(WINDOWS)} windows with equal times and values`}`);
    if (problem) process.exitCode = 1;
    return { influxText: a.text, graphqlText: b.text };
  };
  const { influxText, graphqlText } = await check("before");

  const [influxMs = [], apiMs = []] = (await interleave([baseline, viaApi], REQUESTS, WARMUP)).map(ascending);
  const line = (label: string, sorted: number[], text: string) =>
    say(`${label.padEnd(48)} median ${fmt(quantile(sorted, 0.5))}   p99 ${fmt(quantile(sorted, 0.99))}   answer ${kb(text)}`);
  line("baseline: InfluxQL straight to InfluxDB /query", influxMs, influxText);
  line("API: GraphQL telemetryAggregate", apiMs, graphqlText);
  const ratioMedian = quantile(apiMs, 0.5) / quantile(influxMs, 0.5);
  const ratioP99 = quantile(apiMs, 0.99) / quantile(influxMs, 0.99);
  const verdict = (r: number) => `${r.toFixed(2)} ${r <= GOAL_RATIO ? "met" : "MISSED"}`;
  say(`ratio API/baseline (goal ≤ ${GOAL_RATIO}): median ${verdict(ratioMedian)}, p99 ${verdict(ratioP99)}`);
  await check("after");

  // What the GraphQL path adds: the same path with less and less of the work.
  const oneWindow = { ...variables, to: new Date(from + 60_000).toISOString() };
  const parts = await interleave(
    [
      overGraphql(api.url, "{ __typename }", {}),
      overGraphql(api.url, "{ viewer { kind } }", {}, tenant.token),
      overGraphql(api.url, AGGREGATE, oneWindow, tenant.token),
      direct(tenant, from, from + 60_000),
    ],
    PARTS_REQUESTS,
    10,
  );
  const [anonymous = Number.NaN, viewer = Number.NaN, small = Number.NaN, smallDirect = Number.NaN] = parts.map(median);
  const perRowsApi = quantile(apiMs, 0.5) - small;
  const perRowsInflux = quantile(influxMs, 0.5) - smallDirect;
  const zod = timeIt(() => queryAnswerSchema.parse(JSON.parse(influxText)));
  const json = timeIt(() => JSON.parse(influxText));
  say();
  say(`what the GraphQL path adds (medians of ${PARTS_REQUESTS} requests each, alternating):`);
  const part = (label: string, ms: number) => say(`  ${label.padEnd(100)} ${fmt(ms)}`);
  part("{ __typename } without a token: HTTP, Fastify, Apollo parse/validate/execute, JSON", anonymous);
  part("{ viewer { kind } } with the token: + ES256 token check + membership transaction (4 Postgres round trips)", viewer);
  part("telemetryAggregate over 1 window: + tenant transaction, asset, type and sensors (6 round trips) + InfluxQL", small);
  part("  of which the same 1-window InfluxQL straight to InfluxDB", smallDirect);
  part("  so the fixed cost per request besides InfluxDB (1 window over GraphQL − 1 window straight)", small - smallDirect);
  part(`the ${int(WINDOWS)} windows: growth from 1 window, API`, perRowsApi);
  part(`the ${int(WINDOWS)} windows: growth from 1 window, InfluxDB straight`, perRowsInflux);
  part("  so the per-row cost (zod check, table, GraphQL result of 1,440 rows and its JSON)", perRowsApi - perRowsInflux);
  part(`  in it, measured here: JSON.parse + zod check of InfluxDB's answer (${kb(influxText)}), the API's queryAnswerSchema`, zod);
  part("    of which JSON.parse alone", json);

  await limitsOverhead(AGGREGATE, variables, tenant.token);
});

if (PROFILE && tenant) await profile(tenant);

/**
 * What the GraphQL limits and the rate limiter add per request: the same requests, alternating,
 * to two fresh API processes, one with the limits (default settings) and one with GRAPHQL_LIMITS=off; then the pure CPU part (the walk of the document and of the answer).
 */
async function limitsOverhead(query: string, variables: Record<string, unknown>, token: string): Promise<void> {
  // Two fresh processes that differ only in GRAPHQL_LIMITS.
  await withApi({ env: { GRAPHQL_LIMITS: "on", MQTT_BRIDGE: "off" } }, (on) =>
    withApi({ env: { GRAPHQL_LIMITS: "off", MQTT_BRIDGE: "off" } }, (off) => compare(on.url, off.url)),
  );
  async function compare(url: string, offUrl: string): Promise<void> {
    const probes = [
      overGraphql(url, query, variables, token),
      overGraphql(offUrl, query, variables, token),
      overGraphql(url, "{ viewer { kind } }", {}, token),
      overGraphql(offUrl, "{ viewer { kind } }", {}, token),
    ];
    const [aggOn = [], aggOff = [], viewerOn = [], viewerOff = []] = (await interleave(probes, LIMITS_REQUESTS, 20)).map(ascending);
    say();
    say(
      `what the GraphQL limits and the rate limiter add (medians of ${LIMITS_REQUESTS} requests each, alternating, limits on vs GRAPHQL_LIMITS=off):`,
    );
    const row = (label: string, on: number[], offMs: number[]) => {
      const a = quantile(on, 0.5);
      const b = quantile(offMs, 0.5);
      say(`  ${label.padEnd(40)} on ${fmt(a)}   off ${fmt(b)}   added ${fmt(a - b)}   ratio on/off ${(a / b).toFixed(3)}`);
    };
    row("telemetryAggregate (1,440 windows)", aggOn, aggOff);
    row("{ viewer { kind } }", viewerOn, viewerOff);
  }
  const schema = await buildApiSchema();
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("no operation");
  const analyse = timeIt(() => analyseOperation(schema, document, operation, variables));
  const answer = JSON.parse(
    JSON.stringify({
      telemetryAggregate: {
        sensors: SENSORS,
        times: Array(WINDOWS).fill("2026-01-01T00:00:00.000Z"),
        values: SENSORS.map(() => Array(WINDOWS).fill(1.5)),
      },
    }),
  ) as Record<string, unknown>;
  const counted = timeIt(() => actualCost(operation, answer));
  say(
    `  of which CPU: the cost walk of the document ${fmt(analyse)}, the count of the answer (${int(WINDOWS * (SENSORS.length + 1))} values) ${fmt(counted)}`,
  );
  const db = connectDb(parseConfig({ ...process.env, PORT: "0" }).DATABASE_URL, { max: 1, applicationName: "pdm-bench-query" });
  try {
    const bucket = { key: `bench:${Date.now()}`, tenantId: null, defaultPerMinute: 1_000_000_000 };
    const charges: number[] = [];
    for (let i = 0; i < 520; i++) {
      const started = performance.now();
      await chargeCost(db, bucket, 1);
      if (i >= 20) charges.push(performance.now() - started);
    }
    say(`  of which the charge, one Postgres round trip (graphql_cost_charge, 500 in a row from here) ${fmt(median(charges))}`);
  } finally {
    await db.close();
  }
  say(`  goal: under 0.5 ms added per request at the median`);
}

/** Median ms of `fn` over 50 runs after 10. */
function timeIt(fn: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    fn();
    if (i >= 10) times.push(performance.now() - started);
  }
  return median(times);
}

/** A CPU profile of the API process while it answers the GraphQL aggregate query, one request at a time. */
async function profile(benchTenant: BenchTenant): Promise<void> {
  const engine1 = benchTenant.assetIds.get("engine_1") ?? "";
  const dir = await mkdtemp(join(tmpdir(), "bench-query-profile-"));
  try {
    let window = { fromUs: 0, toUs: 0 };
    let latencies: number[] = [];
    await withApi({ nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] }, async (api) => {
      const variables = { assetId: engine1, from: new Date(from).toISOString(), to: new Date(to).toISOString(), sensors: SENSORS };
      const viaApi = overGraphql(api.url, AGGREGATE, variables, benchTenant.token);
      await interleave([viaApi], 0, WARMUP);
      const fromUs = monotonicUs();
      [latencies = []] = await interleave([viaApi], REQUESTS, 0);
      window = { fromUs, toUs: monotonicUs() };
    });
    say();
    say(
      `profile: API process under node --cpu-prof, ${REQUESTS} GraphQL aggregate requests one at a time: median ${fmt(median(latencies))} while profiled`,
    );
    printProfile(await summarizeProfile(dir, API_PROFILE_RULES, window), REQUESTS, "request");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
