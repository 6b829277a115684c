import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import {
  API_PROFILE_RULES,
  type ApiProcess,
  addCpu,
  type BenchTenant,
  type CpuUse,
  countPoints,
  cpuMeter,
  ENGINES,
  fieldSets,
  type Influx,
  influxFromEnv,
  influxQuery,
  influxWrite,
  int,
  median,
  monotonicUs,
  nsTimestamp,
  printProfile,
  say,
  setUpTenant,
  summarizeProfile,
  tenantDatabase,
  turbofanLine,
  withApi,
} from "./support.js";

/**
 * Ingest throughput: C-MAPSS-shaped line protocol (100 engines, 24 float fields, ns timestamps) in
 * batches of 5,000 lines, written (a) straight to InfluxDB's /write (the baseline) and (b) through
 * the API's /api/v2/write with a device token, at 1, 2 and 4 requests in flight. Per concurrency
 * the legs run InfluxDB, API, API, InfluxDB (half the batches each), so drift of the shared
 * machine hits both sides alike. Then checks that the tenant's database holds every point sent.
 *
 * Usage: node dist/bench/ingest.js [batches per side and concurrency, default 60] [--profile]
 * --profile adds where the API's time goes: a CPU profile of the API process under load, and the
 * ingest stages timed one by one in this process with the API's own code.
 */
const argv = process.argv.slice(2);
const PROFILE = argv.includes("--profile");
const BATCHES = Number(argv.find((a) => /^\d+$/.test(a)) ?? 60);
const BATCH_LINES = 5_000;
const CONCURRENCIES = [1, 2, 4] as const;
const WARMUP_BATCHES = 4;
const PROFILE_BATCHES = 40;
const STAGE_BATCHES = 20;
const GOAL_RATIO = 0.8;
const GOAL_POINTS_PER_SECOND = 100_000;
/** Between two cycles of one engine; each engine's points sit 10 ms apart within a cycle. */
const CYCLE_MS = 5_000;

if (!Number.isInteger(BATCHES) || BATCHES < 2 || BATCHES % 2 !== 0) throw new Error("the batch count must be an even number ≥ 2");

/**
 * The lines one side writes, in order: line n is engine n % 100 + 1 in cycle n / 100, so every
 * (engine, cycle) has its own timestamp and no batch overwrites another.
 */
class Timeline {
  private next = 0;
  constructor(
    private readonly baseMs: number,
    private readonly fields: readonly string[],
  ) {}

  get lines(): number {
    return this.next;
  }

  batches(count: number): Buffer[] {
    const out: Buffer[] = [];
    for (let b = 0; b < count; b++) {
      const lines: string[] = new Array(BATCH_LINES);
      for (let k = 0; k < BATCH_LINES; k++) {
        const n = this.next++;
        const engine = (n % ENGINES) + 1;
        const cycle = Math.floor(n / ENGINES);
        const ms = this.baseMs + cycle * CYCLE_MS + engine * 10;
        lines[k] = turbofanLine(
          engine,
          this.fields[n % this.fields.length] ?? "",
          nsTimestamp(ms, (cycle * 7919 + engine * 104_729) % 1_000_000),
        );
      }
      if (this.baseMs + (this.next / ENGINES) * CYCLE_MS > Date.now())
        throw new Error("the timeline ran into the future: use fewer batches");
      out.push(Buffer.from(`${lines.join("\n")}\n`));
    }
    return out;
  }
}

/** Sends all bodies with `concurrency` requests in flight; seconds taken. */
async function drive(bodies: readonly Buffer[], concurrency: number, send: (body: Buffer) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let body = bodies[next++]; body !== undefined; body = bodies[next++]) await send(body);
    }),
  );
  return (performance.now() - started) / 1000;
}

function apiWriter(api: ApiProcess, tenant: BenchTenant): (body: Buffer) => Promise<void> {
  const target = `${api.url}/api/v2/write?org=o&bucket=b&precision=ns`;
  const headers = { authorization: `Token ${tenant.deviceToken}`, "content-type": "text/plain; charset=utf-8" };
  return async (body) => {
    const res = await fetch(target, { method: "POST", headers, body });
    const text = await res.text();
    if (res.status !== 204) throw new Error(`the API answered ${res.status}: ${text.slice(0, 300)}`);
  };
}

/** CPU per batch of each process during one side's legs, and how busy the machine was. */
function cpuPerBatch(cpu: CpuUse): string {
  const per = (ms: number | undefined) => (ms === undefined ? "?" : (ms / BATCHES).toFixed(1));
  const known = (cpu.influxd ?? 0) + (cpu.api ?? 0) + cpu.bench;
  const parts = [`influxd ${per(cpu.influxd)}`];
  if (cpu.api !== undefined) parts.push(`API ${per(cpu.api)}`);
  parts.push(`bench ${per(cpu.bench)}`);
  if (cpu.machineBusy !== undefined && cpu.machineTotal !== undefined) {
    parts.push(
      `rest ${per(cpu.machineBusy - known)}`,
      `machine ${per(cpu.machineBusy)} (${((cpu.machineBusy / cpu.machineTotal) * 100).toFixed(0)}% busy)`,
    );
  }
  return parts.join(", ");
}

/**
 * With the machine's cores busy, throughput follows the machine's CPU per batch: the ratio can be at
 * most (CPU per batch of the baseline) / (CPU per batch through the API).
 */
function cpuBudget(rows: readonly Figures[]): void {
  let influxSide: CpuUse | undefined;
  let apiSide: CpuUse | undefined;
  for (const row of rows) {
    if (!row.influxCpu || !row.apiCpu) return;
    influxSide = influxSide ? addCpu(influxSide, row.influxCpu) : row.influxCpu;
    apiSide = apiSide ? addCpu(apiSide, row.apiCpu) : row.apiCpu;
  }
  if (influxSide?.machineBusy === undefined || apiSide?.machineBusy === undefined || apiSide.api === undefined) return;
  const batches = rows.length * BATCHES;
  const baseline = influxSide.machineBusy / batches;
  const through = apiSide.machineBusy / batches;
  const apiProcess = apiSide.api / batches;
  const allowed = baseline / GOAL_RATIO - baseline;
  say(
    `CPU budget (all concurrencies): the machine spends ${baseline.toFixed(1)} ms of CPU per batch on the baseline and ${through.toFixed(1)} ms through the API ` +
      `(API process ${apiProcess.toFixed(1)} ms): with the cores busy the ratio is at most ${(baseline / through).toFixed(2)}; ` +
      `a ratio of ${GOAL_RATIO} allows about ${allowed.toFixed(1)} ms of extra CPU per batch`,
  );
}

interface Figures {
  readonly concurrency: number;
  readonly influx: number;
  readonly api: number;
  /** Seconds per batch at this concurrency (latency when 1). */
  readonly influxSecondsPerBatch: number;
  readonly apiSecondsPerBatch: number;
  readonly influxCpu: CpuUse | undefined;
  readonly apiCpu: CpuUse | undefined;
}

const influx: Influx = influxFromEnv();
const scratch = `bench_ingest_${Date.now()}`;
const fields = fieldSets(4_093, 17);
const now = Date.now();
// InfluxDB's side 4 days back, the API's 2 days back: far enough apart that neither overlaps.
const influxLines = new Timeline(now - 4 * 86_400_000, fields);
const apiLines = new Timeline(now - 2 * 86_400_000, fields);
const batchBytes = new Timeline(now - 86_400_000, fields).batches(1)[0]?.length ?? 0;
const figures: Figures[] = [];

say(
  `ingest: C-MAPSS line protocol, ${ENGINES} engines, 24 float fields, ns timestamps; ${int(BATCH_LINES)} lines (${(batchBytes / 1e6).toFixed(2)} MB, ` +
    `${Math.round(batchBytes / BATCH_LINES)} bytes/line) per batch; ${BATCHES} batches = ${int(BATCHES * BATCH_LINES)} points per side and concurrency, ` +
    `legs InfluxDB, API, API, InfluxDB of ${BATCHES / 2} batches, ${WARMUP_BATCHES} warm-up batches per side first; ` +
    `Node ${process.version}, ${availableParallelism()} CPUs`,
);

await influxQuery(influx, { q: `CREATE DATABASE "${scratch}"` });
try {
  let tenant: BenchTenant | undefined;
  await withApi({}, async (api) => {
    tenant = await setUpTenant(api.url, "ingest");
    const toApi = apiWriter(api, tenant);
    const toInflux = (body: Buffer) => influxWrite(influx, scratch, body, "n");
    const meter = cpuMeter(api.pid);

    for (const concurrency of CONCURRENCIES) {
      await drive(influxLines.batches(WARMUP_BATCHES), concurrency, toInflux);
      await drive(apiLines.batches(WARMUP_BATCHES), concurrency, toApi);
      let influxSeconds = 0;
      let apiSeconds = 0;
      let influxCpu: CpuUse | undefined;
      let apiCpu: CpuUse | undefined;
      for (const side of ["influx", "api", "api", "influx"] as const) {
        const bodies = (side === "influx" ? influxLines : apiLines).batches(BATCHES / 2);
        const start = meter.read();
        const seconds = await drive(bodies, concurrency, side === "influx" ? toInflux : toApi);
        const used = meter.since(start);
        if (side === "influx") {
          influxSeconds += seconds;
          influxCpu = influxCpu ? addCpu(influxCpu, used) : used;
        } else {
          apiSeconds += seconds;
          apiCpu = apiCpu ? addCpu(apiCpu, used) : used;
        }
      }
      const points = BATCHES * BATCH_LINES;
      const row: Figures = {
        concurrency,
        influx: points / influxSeconds,
        api: points / apiSeconds,
        influxSecondsPerBatch: influxSeconds / BATCHES,
        apiSecondsPerBatch: apiSeconds / BATCHES,
        influxCpu,
        apiCpu,
      };
      figures.push(row);
      say(
        `concurrency ${concurrency}: baseline InfluxDB /write ${int(row.influx).padStart(9)} points/s   API /api/v2/write ${int(row.api).padStart(9)} points/s   ` +
          `ratio API/InfluxDB ${(row.api / row.influx).toFixed(2)}   (per batch: InfluxDB ${(row.influxSecondsPerBatch * 1000).toFixed(1)} ms, API ${(row.apiSecondsPerBatch * 1000).toFixed(1)} ms)`,
      );
      if (influxCpu && apiCpu) say(`  CPU ms per batch: baseline: ${cpuPerBatch(influxCpu)}  |  API: ${cpuPerBatch(apiCpu)}`);
    }

    const bestInflux = figures.reduce((a, b) => (b.influx > a.influx ? b : a));
    const bestApi = figures.reduce((a, b) => (b.api > a.api ? b : a));
    const ratio = bestApi.api / bestInflux.influx;
    const sameConcurrency = figures.reduce((a, b) => (b.api / b.influx > a.api / a.influx ? b : a));
    say(
      `best per side: InfluxDB ${int(bestInflux.influx)} points/s (concurrency ${bestInflux.concurrency}), API ${int(bestApi.api)} points/s (concurrency ${bestApi.concurrency}); ` +
        `ratio ${ratio.toFixed(2)}`,
    );
    say(
      `goal ratio API/InfluxDB ≥ ${GOAL_RATIO} (best against best): ${ratio >= GOAL_RATIO ? "met" : "MISSED"} (${ratio.toFixed(2)}; ` +
        `best at equal concurrency ${(sameConcurrency.api / sameConcurrency.influx).toFixed(2)} at ${sameConcurrency.concurrency})`,
    );
    say(
      `goal API ≥ ${int(GOAL_POINTS_PER_SECOND)} points/s: ${bestApi.api >= GOAL_POINTS_PER_SECOND ? "met" : "MISSED"} (${int(bestApi.api)})`,
    );

    cpuBudget(figures);

    const stored = await countPoints(influx, tenantDatabase(tenant.tenantId));
    const scratchStored = await countPoints(influx, scratch);
    const ok = stored === apiLines.lines && scratchStored === influxLines.lines;
    say(
      `check: InfluxDB holds ${int(stored)} points for tenant ${tenant.tenantId} (count of "s1" in ${tenantDatabase(tenant.tenantId)}), ` +
        `sent through the API ${int(apiLines.lines)}: ${stored === apiLines.lines ? "equal" : "DIFFERENT"}; ` +
        `baseline database ${int(scratchStored)} of ${int(influxLines.lines)} sent: ${scratchStored === influxLines.lines ? "equal" : "DIFFERENT"}`,
    );
    if (!ok) process.exitCode = 1;
  });

  if (PROFILE && tenant) await profile(tenant);
} finally {
  await influxQuery(influx, { q: `DROP DATABASE "${scratch}"` });
}

/** Where the API's time goes: a CPU profile of the API process under load, then the stages one by one. */
async function profile(tenant: BenchTenant): Promise<void> {
  const best = figures.reduce((a, b) => (b.api > a.api ? b : a));
  const dir = await mkdtemp(join(tmpdir(), "bench-ingest-profile-"));
  try {
    let window = { fromUs: 0, toUs: 0 };
    let seconds = 0;
    await withApi({ nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`] }, async (api) => {
      const send = apiWriter(api, tenant);
      await drive(apiLines.batches(WARMUP_BATCHES), best.concurrency, send);
      const bodies = apiLines.batches(PROFILE_BATCHES);
      const fromUs = monotonicUs();
      seconds = await drive(bodies, best.concurrency, send);
      window = { fromUs, toUs: monotonicUs() };
    });
    say();
    say(
      `profile: API process under node --cpu-prof, ${PROFILE_BATCHES} batches at concurrency ${best.concurrency}: ` +
        `${int((PROFILE_BATCHES * BATCH_LINES) / seconds)} points/s while profiled`,
    );
    printProfile(await summarizeProfile(dir, API_PROFILE_RULES, window), PROFILE_BATCHES, "batch");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await stages(tenant);
}

/**
 * The ingest path's stages timed one by one with the API's own functions, in this process. Each
 * round also sends one batch through the API over HTTP and one straight to InfluxDB, so the three
 * are measured under the same conditions; all one at a time.
 */
async function stages(tenant: BenchTenant): Promise<void> {
  await import("reflect-metadata");
  const { createServices } = await import("../src/app.js");
  const { parseConfig } = await import("../src/config.js");
  const { authenticateDevice, ingest: ingestVerb, MAX_FUTURE_MS } = await import("../src/telemetry/index.js");
  const { validateBatch } = await import("../src/telemetry/line-protocol.js");
  const { sha256 } = await import("../src/core/secrets.js");

  const config = parseConfig({ ...process.env, LOG_LEVEL: "warn", PORT: "0", MQTT_BRIDGE: "off" });
  const { services, close } = await createServices(config);
  let writeMs = 0;
  const store = {
    ...services.store,
    write: async (tenantId: string, lines: string, precision: Parameters<typeof services.store.write>[2]) => {
      const started = performance.now();
      try {
        await services.store.write(tenantId, lines, precision);
      } finally {
        writeMs = performance.now() - started;
      }
    },
  };
  const deps = { db: services.db, store, scopes: services.scopes, series: services.series, clock: services.clock };
  const names = ["http", "direct", "auth", "decode", "validate", "sha", "write", "rest"] as const;
  const times = new Map<(typeof names)[number], number[]>(names.map((n) => [n, []]));
  const record = (name: (typeof names)[number], ms: number) => times.get(name)?.push(ms);
  try {
    await withApi({}, async (api) => {
      const toApi = apiWriter(api, tenant);
      for (let round = 0; round < STAGE_BATCHES + 3; round++) {
        const keep = round >= 3; // the first rounds warm up
        const [overHttp, direct, raw] = [apiLines.batches(1)[0], influxLines.batches(1)[0], apiLines.batches(1)[0]];
        if (!overHttp || !direct || !raw) throw new Error("no batch");
        let t = performance.now();
        const lap = () => {
          const previous = t;
          t = performance.now();
          return t - previous;
        };
        await toApi(overHttp);
        const http = lap();
        await influxWrite(influx, scratch, direct, "n");
        const straight = lap();
        const device = await authenticateDevice(services.db, tenant.deviceToken);
        const auth = lap();
        const body = raw.toString("utf8");
        const decode = lap();
        const scope = await services.scopes.get(device.tenantId, device.deviceId);
        if (!scope) throw new Error("the device has no scope");
        lap();
        const nowMs = Date.now();
        const result = validateBatch(body, (measurement, asset) => scope.targets.get(asset) ?? `unknown ${measurement} ${asset}`, {
          precision: "ns",
          nowMs,
          oldestMs: nowMs - scope.retentionDays * 86_400_000,
          newestMs: nowMs + MAX_FUTURE_MS,
        });
        if (!result.ok) throw new Error(`refused: ${result.reason}`);
        const validate = lap();
        sha256(`ns\n${body}`);
        const sha = lap();
        await ingestVerb({ principal: device, requestId: `bench-${round}`, deps }, { body, precision: "ns", source: "http_v2" });
        const ingest = lap();
        if (!keep) continue;
        record("http", http);
        record("direct", straight);
        record("auth", auth);
        record("decode", decode);
        record("validate", validate);
        record("sha", sha);
        record("write", writeMs);
        // ingest validates and hashes again; what is left is the scope cache and the usage ledger transaction.
        record("rest", ingest - validate - sha - writeMs);
      }
    });
  } finally {
    await close();
  }
  const m = (name: (typeof names)[number]) => median(times.get(name) ?? []);
  const sum = m("auth") + m("decode") + m("validate") + m("sha") + m("write") + m("rest");
  say();
  say(`stages of one batch (${int(BATCH_LINES)} lines), one request at a time, median of ${STAGE_BATCHES} rounds:`);
  const row = (label: string, ms: number) => say(`  ${label.padEnd(84)} ${ms.toFixed(2).padStart(7)} ms`);
  row("through the API over HTTP (POST /api/v2/write)", m("http"));
  row("straight to InfluxDB (POST /write)", m("direct"));
  row("the API's ingest functions, called in this process:", sum);
  row("  device token check (ingest_find_device_token + touch: 2 Postgres round trips)", m("auth"));
  row("  body Buffer → string", m("decode"));
  row("  line protocol validation (validateBatch)", m("validate"));
  row("  sha256 of the body (usage idempotency key)", m("sha"));
  row("  forward to InfluxDB /write (InfluxDB's own work included)", m("write"));
  row("  usage ledger + asset activity transaction (100 upserted rows), scope cache", m("rest"));
  row("HTTP, Fastify's body collection and the rest (over HTTP − the functions' sum)", m("http") - sum);
  row("what the API adds to a batch (over HTTP − straight to InfluxDB)", m("http") - m("direct"));
}
