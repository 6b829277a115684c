import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stopApi } from "../scripts/api-process.js";
import { subscribeDemoTenant } from "../scripts/demo-billing.js";
import { parseConfig } from "../src/config.js";

/**
 * What the ingest and query benchmarks share: the API as a child process, a bench tenant set up
 * over GraphQL, InfluxDB straight over its HTTP API (the baselines), C-MAPSS-shaped line
 * protocol, percentiles and a reader for the API's CPU profile.
 */

export const say = (line = ""): void => {
  process.stdout.write(`${line}\n`);
};

export const int = (n: number): string => Math.round(n).toLocaleString("en-US");

// ---------------------------------------------------------------------------------------------------------------
// The API as a child process

export interface ApiProcess {
  readonly url: string;
  readonly pid: number;
  /** SIGTERM (the API closes and exits, which also writes a --cpu-prof profile), SIGKILL after 15 s. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the API binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/**
 * Starts `node dist/src/main.js` on a free port with LOG_LEVEL=warn (no per-request log lines to
 * skew the figures) and the MQTT bridge off (the benchmarks do not use MQTT, and a bridge would
 * take a share of other processes' MQTT messages); ready once /healthz answers. Its logs go to
 * stderr. `nodeArgs` go before the script (e.g. --cpu-prof).
 */
export async function startApi(
  options: { nodeArgs?: readonly string[]; env?: Readonly<Record<string, string>> } = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const main = fileURLToPath(new URL("../src/main.js", import.meta.url));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", MQTT_BRIDGE: "off", ...options.env },
    stdio: ["ignore", 2, 2],
  });
  const url = `http://127.0.0.1:${port}`;
  let exit: string | undefined;
  child.on("exit", (code, signal) => {
    exit = signal ? `signal ${signal}` : `code ${code}`;
  });
  child.on("error", (error) => {
    exit = `error: ${error.message}`;
  });
  const api: ApiProcess = { url, pid: child.pid ?? -1, stop: () => stopApi(child) };
  const until = Date.now() + 30_000;
  for (;;) {
    if (exit !== undefined) throw new Error(`the API exited before it was ready (${exit})`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return api;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      await api.stop();
      throw new Error("the API did not answer /healthz within 30 s");
    }
    await sleep(100);
  }
}

/** Runs `fn` with a started API and stops the API afterwards, also when `fn` fails. */
export async function withApi<T>(
  options: { nodeArgs?: readonly string[]; env?: Readonly<Record<string, string>> },
  fn: (api: ApiProcess) => Promise<T>,
): Promise<T> {
  const api = await startApi(options);
  try {
    return await fn(api);
  } finally {
    await api.stop();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// GraphQL and the bench tenant

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const answer = (await res.json()) as GraphQLAnswer<T>;
  if (answer.errors?.length || !answer.data) {
    throw new Error(`GraphQL failed (${res.status}): ${JSON.stringify(answer.errors ?? answer)}`);
  }
  return answer.data;
}

export const ENGINES = 100;
export const SENSORS: readonly string[] = ["setting1", "setting2", "setting3", ...Array.from({ length: 21 }, (_, i) => `s${i + 1}`)];

export interface BenchTenant {
  readonly tenantId: string;
  readonly userId: string;
  /** The owner's signed access token (Bearer). */
  readonly token: string;
  /** Asset id by external id (engine_1 … engine_100). */
  readonly assetIds: ReadonlyMap<string, string>;
  /** The device's secret (Authorization: Token …), for all engines. */
  readonly deviceToken: string;
}

/**
 * Signs up a fresh tenant with a unique name and owner, signs in, and subscribes it to the demo's
 * plan the way the demo does (catalogue sync, checkout, Stripe's signed webhooks): the free tier's
 * limits are far below a benchmark's fleet and points. The owner's token and ids.
 */
export async function signUpBenchTenant(
  url: string,
  label: string,
): Promise<{ token: string; tenantId: string; userId: string; email: string }> {
  const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const email = `bench-${label}-${stamp}@example.test`;
  const password = "benchmark password 1";
  await graphql<{ signUp: { email: string } }>(url, "mutation ($i: SignUpInput!) { signUp(input: $i) { email } }", {
    i: { tenantName: `Bench ${label} ${stamp}`, email, name: "Ben Bench", password },
  });
  const { signIn } = await graphql<{ signIn: { token: string; tenantId: string; userId: string } }>(
    url,
    "mutation ($i: SignInInput!) { signIn(input: $i) { token tenantId userId } }",
    { i: { email, password } },
  );
  const call = <T>(query: string, variables: Record<string, unknown>, token: string) => graphql<T>(url, query, variables, token);
  await subscribeDemoTenant(url, parseConfig(process.env), { id: signIn.tenantId, token: signIn.token }, call, () => {});
  return { ...signIn, email };
}

/** Signs up a fresh tenant; creates the turbofan type, engine_1 … engine_100 and one device for them all. */
export async function setUpTenant(url: string, label: string): Promise<BenchTenant> {
  const signUp = await signUpBenchTenant(url, label);
  const { token } = signUp;
  const { createAssetType } = await graphql<{ createAssetType: { id: string } }>(
    url,
    "mutation ($i: CreateAssetTypeInput!) { createAssetType(input: $i) { id } }",
    { i: { key: "turbofan", name: "Turbofan engine", sensors: SENSORS.map((key) => ({ key })) } },
    token,
  );
  const assetIds = new Map<string, string>();
  let next = 1;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next <= ENGINES) {
        const externalId = `engine_${next++}`;
        const { createAsset } = await graphql<{ createAsset: { id: string } }>(
          url,
          "mutation ($i: CreateAssetInput!) { createAsset(input: $i) { id } }",
          { i: { assetTypeId: createAssetType.id, externalId, name: `Engine ${externalId.slice(7)}` } },
          token,
        );
        assetIds.set(externalId, createAsset.id);
      }
    }),
  );
  const { createDevice } = await graphql<{ createDevice: { issued: { secret: string } } }>(
    url,
    "mutation ($i: CreateDeviceInput!) { createDevice(input: $i) { issued { secret } } }",
    { i: { name: "bench gateway", assetIds: [...assetIds.values()] } },
    token,
  );
  return { tenantId: signUp.tenantId, userId: signUp.userId, token, assetIds, deviceToken: createDevice.issued.secret };
}

// ---------------------------------------------------------------------------------------------------------------
// InfluxDB straight over its 1.x HTTP API

export interface Influx {
  readonly url: string;
  readonly authorization: string;
}

export function influxFromEnv(): Influx {
  const { INFLUX_URL, INFLUX_USERNAME, INFLUX_PASSWORD } = process.env;
  if (!INFLUX_URL || !INFLUX_USERNAME || !INFLUX_PASSWORD) {
    throw new Error("INFLUX_URL, INFLUX_USERNAME and INFLUX_PASSWORD must be set (run through ./run bench …)");
  }
  return { url: INFLUX_URL, authorization: `Basic ${Buffer.from(`${INFLUX_USERNAME}:${INFLUX_PASSWORD}`).toString("base64")}` };
}

export const tenantDatabase = (tenantId: string): string => `t_${tenantId}`;

export interface InfluxSeries {
  name: string;
  columns: string[];
  values?: (number | string | boolean | null)[][];
}

export interface InfluxAnswer {
  results: { series?: InfluxSeries[]; error?: string }[];
  error?: string;
}

/** POST /query (as the API's store sends it); returns the body's text, unparsed. */
export async function influxQueryText(influx: Influx, params: Readonly<Record<string, string>>): Promise<string> {
  const res = await fetch(`${influx.url}/query?${new URLSearchParams(params)}`, {
    method: "POST",
    headers: { authorization: influx.authorization },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`InfluxDB /query answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

export async function influxQuery(influx: Influx, params: Readonly<Record<string, string>>): Promise<InfluxAnswer> {
  const answer = JSON.parse(await influxQueryText(influx, params)) as InfluxAnswer;
  const failed = answer.error ?? answer.results.find((r) => r.error)?.error;
  if (failed) throw new Error(`InfluxQL failed: ${failed}`);
  return answer;
}

export async function influxWrite(influx: Influx, db: string, body: Buffer, precision: string): Promise<void> {
  const res = await fetch(`${influx.url}/write?${new URLSearchParams({ db, precision })}`, {
    method: "POST",
    headers: { authorization: influx.authorization, "content-type": "text/plain; charset=utf-8" },
    body,
  });
  const text = await res.text();
  if (res.status !== 204) throw new Error(`InfluxDB /write answered ${res.status}: ${text.slice(0, 300)}`);
}

/** `SELECT count(field) FROM measurement` in a database; 0 when it holds none. */
export async function countPoints(influx: Influx, db: string, measurement = "turbofan", field = "s1"): Promise<number> {
  const answer = await influxQuery(influx, { db, q: `SELECT count("${field}") FROM "${measurement}"` });
  const value = answer.results[0]?.series?.[0]?.values?.[0]?.[1];
  return typeof value === "number" ? value : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// C-MAPSS-shaped line protocol

/** [name, mean, spread, decimals] after the FD001 subset of NASA's C-MAPSS data (as bench/line-protocol.ts). */
const COLUMNS: readonly (readonly [string, number, number, number])[] = [
  ["setting1", 0, 0.0022, 4],
  ["setting2", 0, 0.0003, 4],
  ["setting3", 100, 0, 0],
  ["s1", 518.67, 0, 2],
  ["s2", 642.68, 0.5, 2],
  ["s3", 1590.52, 6.1, 2],
  ["s4", 1408.93, 9, 2],
  ["s5", 14.62, 0, 2],
  ["s6", 21.61, 0.001, 2],
  ["s7", 553.37, 0.88, 2],
  ["s8", 2388.1, 0.07, 2],
  ["s9", 9065.24, 22, 2],
  ["s10", 1.3, 0, 2],
  ["s11", 47.54, 0.27, 2],
  ["s12", 521.41, 0.74, 2],
  ["s13", 2388.1, 0.07, 2],
  ["s14", 8143.75, 19, 2],
  ["s15", 8.4421, 0.037, 4],
  ["s16", 0.03, 0, 2],
  ["s17", 393, 1.5, 0],
  ["s18", 2388, 0, 0],
  ["s19", 100, 0, 2],
  ["s20", 38.82, 0.18, 2],
  ["s21", 23.2897, 0.108, 4],
];

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `size` field sets (`setting1=…,…,s21=…`, 24 floats), so that lines can be made fast from them:
 * formatting 24 numbers per line would make generating a million lines take a minute.
 */
export function fieldSets(size: number, seed: number): string[] {
  const next = random(seed);
  return Array.from({ length: size }, () =>
    COLUMNS.map(([name, mean, spread, decimals]) => `${name}=${(mean + (next() * 2 - 1) * spread).toFixed(decimals)}`).join(","),
  );
}

/** Nanoseconds since the epoch as line protocol writes them, from whole milliseconds plus nanoseconds. */
export const nsTimestamp = (ms: number, extraNs = 0): string => `${ms}${String(extraNs).padStart(6, "0")}`;

export const turbofanLine = (engine: number, fields: string, timestamp: string): string =>
  `turbofan,asset=engine_${engine} ${fields} ${timestamp}`;

// ---------------------------------------------------------------------------------------------------------------
// Figures

/** The q-quantile of ascending values (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

export const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

export const median = (values: readonly number[]): number => quantile(ascending(values), 0.5);

// ---------------------------------------------------------------------------------------------------------------
// CPU time of the processes involved (Linux /proc)

const clockTicks = ((): number => {
  try {
    const value = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(value) && value > 0 ? value : 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used, ms; undefined when it cannot be read. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || pid <= 0) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after "pid (comm) ".
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/** The machine's busy and total CPU time over all cores since boot, ms. */
function machineCpuMs(): { busy: number; total: number } | undefined {
  try {
    const [line] = readFileSync("/proc/stat", "utf8").split("\n");
    const values = (line ?? "").trim().split(/\s+/).slice(1, 9).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: ((total - idle) * 1000) / clockTicks, total: (total * 1000) / clockTicks };
  } catch {
    return undefined;
  }
}

/** A process of the stack (influxdb, mosquitto, temporal, stripe-mock), from its pid file; undefined when there is none. */
function stackPid(service: string): number | undefined {
  const state = process.env.PDM_STACK_DIR ?? join(process.env.ROOT ?? process.cwd(), ".stack");
  try {
    const pid = Number(readFileSync(join(state, "run", `${service}.pid`), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const influxdPid = (): number | undefined => stackPid("influxdb");

export interface CpuUse {
  /** ms of CPU each, undefined where unknown. */
  readonly influxd: number | undefined;
  readonly api: number | undefined;
  readonly bench: number;
  /** Busy ms of all cores of the machine (everything, other users included) and wall ms × cores. */
  readonly machineBusy: number | undefined;
  readonly machineTotal: number | undefined;
}

/** Reads CPU time of InfluxDB, the API process, this process and the machine; `since` gives the use since then. */
export function cpuMeter(apiPid?: number): { read(): CpuUse; since(start: CpuUse): CpuUse } {
  const influx = influxdPid();
  const read = (): CpuUse => {
    const usage = process.cpuUsage();
    const machine = machineCpuMs();
    return {
      influxd: processCpuMs(influx),
      api: processCpuMs(apiPid),
      bench: (usage.user + usage.system) / 1000,
      machineBusy: machine?.busy,
      machineTotal: machine?.total,
    };
  };
  const minus = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a - b);
  return {
    read,
    since(start) {
      const end = read();
      return {
        influxd: minus(end.influxd, start.influxd),
        api: minus(end.api, start.api),
        bench: end.bench - start.bench,
        machineBusy: minus(end.machineBusy, start.machineBusy),
        machineTotal: minus(end.machineTotal, start.machineTotal),
      };
    },
  };
}

export function addCpu(a: CpuUse, b: CpuUse): CpuUse {
  const plus = (x: number | undefined, y: number | undefined) => (x === undefined || y === undefined ? undefined : x + y);
  return {
    influxd: plus(a.influxd, b.influxd),
    api: plus(a.api, b.api),
    bench: a.bench + b.bench,
    machineBusy: plus(a.machineBusy, b.machineBusy),
    machineTotal: plus(a.machineTotal, b.machineTotal),
  };
}

/** The fields of /proc/PID/stat after "pid (comm) "; undefined when the process is gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * Postgres' CPU time, ms: the postmaster, the children it has reaped (cutime and cstime: backends
 * of closed connections) and every live child (backends, WAL writer, checkpointer, …).
 */
function postgresCpuMs(postmaster: number): number | undefined {
  const own = statFields(postmaster);
  if (!own) return undefined;
  const ticks = (f: string[], from: number, to: number) => f.slice(from, to + 1).reduce((sum, v) => sum + Number(v), 0);
  let total = ticks(own, 11, 14);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === postmaster) total += ticks(fields, 11, 12);
  }
  return (total * 1000) / clockTicks;
}

/** The postmaster of the server behind a connection, from its backend's pid (`select pg_backend_pid()`). */
export function postmasterOf(backendPid: number): number | undefined {
  const parent = Number(statFields(backendPid)?.[1]);
  return Number.isInteger(parent) && parent > 1 ? parent : undefined;
}

/** The processes a request may cost CPU in, as the stack meter names them. */
export const STACK_PROCESSES = ["API", "worker", "Postgres", "InfluxDB", "Mosquitto", "Temporal", "stripe-mock", "bench"] as const;
export type StackProcess = (typeof STACK_PROCESSES)[number];
export type StackCpu = Readonly<Record<StackProcess, number | undefined>>;

/**
 * CPU time (ms) of every process of the stack, the API and worker processes and this one, read
 * together; `since` gives the use since an earlier reading. Postgres counts with all its children.
 */
export function stackCpuMeter(pids: { api?: number; worker?: number; postmaster?: number }): {
  read(): StackCpu;
  since(start: StackCpu): StackCpu;
} {
  const services = {
    InfluxDB: stackPid("influxdb"),
    Mosquitto: stackPid("mosquitto"),
    Temporal: stackPid("temporal"),
    "stripe-mock": stackPid("stripe-mock"),
  };
  const read = (): StackCpu => {
    const usage = process.cpuUsage();
    return {
      API: processCpuMs(pids.api),
      worker: processCpuMs(pids.worker),
      Postgres: pids.postmaster === undefined ? undefined : postgresCpuMs(pids.postmaster),
      InfluxDB: processCpuMs(services.InfluxDB),
      Mosquitto: processCpuMs(services.Mosquitto),
      Temporal: processCpuMs(services.Temporal),
      "stripe-mock": processCpuMs(services["stripe-mock"]),
      bench: (usage.user + usage.system) / 1000,
    };
  };
  return {
    read,
    since(start) {
      const end = read();
      const out = {} as Record<StackProcess, number | undefined>;
      for (const name of STACK_PROCESSES) {
        const a = start[name];
        const b = end[name];
        out[name] = a === undefined || b === undefined ? undefined : b - a;
      }
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// CPU profiles (node --cpu-prof)

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where the time of a sample goes: the first frame from the leaf up that a rule names; rules in order. */
export type ProfileRule = readonly [label: string, test: (url: string, functionName: string) => boolean];

const has =
  (...parts: string[]) =>
  (url: string): boolean =>
    parts.some((p) => url.includes(p));

/** Buckets for the API process: its own code by file, then its libraries, then Node's internals. */
export const API_PROFILE_RULES: readonly ProfileRule[] = [
  ["line protocol validation (src/telemetry/line-protocol*)", has("/src/telemetry/line-protocol.", "/src/telemetry/line-protocol/")],
  ["ingest route + body decode (src/telemetry/http-ingest.ts)", has("/src/telemetry/http-ingest.")],
  ["ingest pipeline (src/telemetry/ingest.ts)", has("/src/telemetry/ingest.")],
  ["InfluxDB store client (src/telemetry/influx.ts)", has("/src/telemetry/influx.")],
  ["telemetry queries (src/telemetry/queries.ts)", has("/src/telemetry/queries.")],
  ["other API code (src/)", has("/dist/src/")],
  ["sha256 / crypto (node:crypto)", has("node:internal/crypto", "node:crypto")],
  ["gzip (node:zlib)", has("zlib")],
  ["fetch to InfluxDB (undici, incl. its JSON.parse)", has("undici")],
  ["Postgres client (postgres.js)", has("/node_modules/postgres/")],
  ["drizzle-orm", has("/node_modules/drizzle-orm/")],
  ["zod (InfluxDB answer check)", has("/node_modules/zod/")],
  ["JWT (jose)", has("/node_modules/jose/")],
  ["graphql-js execution", has("/node_modules/graphql/")],
  ["type-graphql", has("/node_modules/type-graphql/")],
  ["Apollo Server + Fastify integration", has("/node_modules/@apollo/", "/node_modules/@as-integrations/")],
  ["graphql-scalars", has("/node_modules/graphql-scalars/")],
  [
    "Fastify (routing, hooks, body collection, reply)",
    has(
      "/node_modules/fastify/",
      "/node_modules/find-my-way/",
      "/node_modules/avvio/",
      "/node_modules/@fastify/",
      "/node_modules/light-my-request/",
    ),
  ],
  ["logging (pino)", has("/node_modules/pino", "/node_modules/sonic-boom/")],
  ["other dependencies", has("/node_modules/")],
  [
    "Node HTTP server, sockets, streams",
    has("node:_http", "node:http", "node:net", "node:internal/streams", "node:stream", "node:internal/http"),
  ],
  ["Node internals (other)", has("node:")],
];

export interface ProfileSummary {
  /** Wall time the profile spans, ms. */
  readonly spanMs: number;
  /** Time the process was idle (waiting on the network), ms. */
  readonly idleMs: number;
  readonly gcMs: number;
  /** Native time outside JavaScript that V8 could not attribute ("(program)"), ms. */
  readonly programMs: number;
  /** Busy time by rule label (plus "unattributed"), ms, largest first. */
  readonly buckets: readonly (readonly [string, number])[];
  /** Self time of the busiest functions ("name file:line"), ms, largest first. */
  readonly hottest: readonly (readonly [string, number])[];
}

/** The monotonic clock in microseconds: the clock of --cpu-prof's timestamps (CLOCK_MONOTONIC on Linux). */
export const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * Reads the one .cpuprofile of `dir` and sums its samples into the buckets of `rules`; only the
 * samples within `window` (monotonicUs() readings taken around the measured work) when given, so
 * start-up and shutdown do not count.
 */
export async function summarizeProfile(
  dir: string,
  rules: readonly ProfileRule[],
  window?: { readonly fromUs: number; readonly toUs: number },
): Promise<ProfileSummary> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile"));
  const [file] = files;
  if (!file || files.length !== 1) throw new Error(`expected one .cpuprofile in ${dir}, found ${files.length}`);
  const profile = JSON.parse(await readFile(join(dir, file), "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const labelOf = new Map<number, string>();
  const label = (id: number): string => {
    const known = labelOf.get(id);
    if (known !== undefined) return known;
    let found = "unattributed";
    const leaf = byId.get(id)?.callFrame.functionName;
    if (leaf === "(idle)" || leaf === "(garbage collector)" || leaf === "(program)") found = leaf;
    else {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (!frame?.url) continue;
        const rule = rules.find(([, test]) => test(frame.url, frame.functionName));
        if (rule) {
          found = rule[0];
          break;
        }
      }
    }
    labelOf.set(id, found);
    return found;
  };
  const inWindow = window !== undefined && window.fromUs >= profile.startTime && window.toUs <= profile.endTime;
  if (window !== undefined && !inWindow) process.stderr.write("the measured window is not within the profile's time; summing all of it\n");
  const frameName = (id: number): string => {
    const frame = byId.get(id)?.callFrame;
    if (!frame) return "?";
    const file = frame.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, "$1/");
    return `${frame.functionName || "(anonymous)"} ${file ? `${file}:${frame.lineNumber + 1}` : "(native)"}`;
  };
  const totals = new Map<string, number>();
  const self = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (inWindow && (at < window.fromUs || at > window.toUs)) return;
    const key = label(id);
    totals.set(key, (totals.get(key) ?? 0) + delta / 1000);
    if (key !== "(idle)") {
      const name = frameName(id);
      self.set(name, (self.get(name) ?? 0) + delta / 1000);
    }
  });
  const take = (key: string): number => {
    const ms = totals.get(key) ?? 0;
    totals.delete(key);
    return ms;
  };
  const idleMs = take("(idle)");
  const gcMs = take("(garbage collector)");
  const programMs = take("(program)");
  return {
    spanMs: (inWindow ? window.toUs - window.fromUs : profile.endTime - profile.startTime) / 1000,
    idleMs,
    gcMs,
    programMs,
    buckets: [...totals].sort((a, b) => b[1] - a[1]),
    hottest: [...self].sort((a, b) => b[1] - a[1]).slice(0, 12),
  };
}

/** Prints a profile summary per unit of work (a batch, a request): busy time by bucket. */
export function printProfile(summary: ProfileSummary, units: number, unit: string, minShare = 0.01): void {
  const rows: (readonly [string, number])[] = [
    ...summary.buckets,
    ["garbage collection", summary.gcMs],
    ["native, unattributed ((program))", summary.programMs],
  ];
  rows.sort((a, b) => b[1] - a[1]);
  const busy = rows.reduce((sum, [, ms]) => sum + ms, 0);
  say(
    `  API process: ${(summary.spanMs / 1000).toFixed(1)} s profiled, busy ${(busy / 1000).toFixed(1)} s (${((busy / summary.spanMs) * 100).toFixed(0)}% of one core), idle ${(summary.idleMs / 1000).toFixed(1)} s; ` +
      `CPU per ${unit}: ${(busy / units).toFixed(2)} ms`,
  );
  let rest = 0;
  for (const [name, ms] of rows) {
    if (ms / busy < minShare) {
      rest += ms;
      continue;
    }
    say(`    ${name.padEnd(58)} ${(ms / units).toFixed(2).padStart(7)} ms/${unit}  ${((ms / busy) * 100).toFixed(1).padStart(5)}%`);
  }
  if (rest > 0)
    say(
      `    ${"(smaller buckets)".padEnd(58)} ${(rest / units).toFixed(2).padStart(7)} ms/${unit}  ${((rest / busy) * 100).toFixed(1).padStart(5)}%`,
    );
  say(`  busiest functions (self time):`);
  for (const [name, ms] of summary.hottest) {
    if (ms / busy < minShare) break;
    say(
      `    ${name.slice(0, 90).padEnd(90)} ${(ms / units).toFixed(2).padStart(7)} ms/${unit}  ${((ms / busy) * 100).toFixed(1).padStart(5)}%`,
    );
  }
}
