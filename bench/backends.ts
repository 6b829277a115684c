import { availableParallelism, cpus, loadavg } from "node:os";
import { Client } from "@temporalio/client";
import mqtt from "mqtt";
import { startWorker, stopWorker } from "../scripts/worker-process.js";
import { createStripe } from "../src/billing/stripe.js";
import { parseConfig } from "../src/config.js";
import { connectDb } from "../src/db/client.js";
import { connectTemporal } from "../src/temporal/client.js";
import {
  allProbes,
  BATCH_POINTS,
  batch,
  DAY_INFLUXQL,
  DAY_WINDOWS,
  dayOfEngine1,
  MQTT_ENGINE,
  onePoint,
  type Probe,
  writeThroughApi,
} from "./backends-probes.js";
import { countRoundTrips, type RoundTrips } from "./backends-trips.js";
import {
  ascending,
  type BenchTenant,
  type CpuUse,
  cpuMeter,
  graphql,
  influxFromEnv,
  influxQuery,
  int,
  median,
  postmasterOf,
  quantile,
  STACK_PROCESSES,
  type StackCpu,
  type StackProcess,
  say,
  setUpTenant,
  sleep,
  stackCpuMeter,
  tenantDatabase,
  withApi,
} from "./support.js";

/**
 * What one request costs on each backend, measured against the local stack with the API and a
 * Temporal worker as child processes: latency one request at a time (probes interleaved round by
 * round, so drift of the shared machine hits all alike), CPU per request of every process (blocks
 * of one probe, the processes' idle use subtracted), the MQTT bridge's throughput, whether one
 * tenant's writes queue behind each other, and the round trips each API request makes to each
 * backend (through counting relays, in a second API process).
 *
 * Baseline: `select 1` on the app role from this process, measured in each rotation; every
 * latency is also given as a multiple of it.
 *
 * Usage: node dist/bench/backends.js [rounds of the fast probes, default 300; slow probes get a fifth]
 */
const ROUNDS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 300);
if (!Number.isInteger(ROUNDS) || ROUNDS < 20) throw new Error("the round count must be a whole number ≥ 20");
const SLOW_ROUNDS = Math.max(10, Math.round(ROUNDS / 5));
const BLOCK_MS = 2_000;
const MIN_BLOCK_REQUESTS = 10;
const BURST = 1_000;
const SERIAL_BATCHES = 40;
const WRITERS = 4;

const config = parseConfig({ ...process.env, PORT: "0" });
const influx = influxFromEnv();

interface Row {
  readonly probe: Probe;
  readonly latencies: number[];
  readonly baseline: number;
  cpu?: { readonly requests: number; readonly perRequest: StackCpu };
  trips?: RoundTrips;
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const cpuCell = (x: number | undefined) => (x === undefined ? "–" : x < 0.0005 ? "0" : x < 1 ? x.toFixed(3) : x.toFixed(2));

/** Runs the probes in turn, `rounds` times after `warmup`, alternating the order; latencies (ms) per probe. */
async function rotate(probes: readonly Probe[], rounds: number, warmup: number): Promise<number[][]> {
  const latencies = probes.map((): number[] => []);
  for (let round = 0; round < warmup + rounds; round++) {
    const order = round % 2 === 0 ? probes.map((_, i) => i) : probes.map((_, i) => probes.length - 1 - i);
    for (const i of order) {
      const probe = probes[i];
      if (!probe) continue;
      const started = performance.now();
      await probe.run();
      if (round >= warmup) latencies[i]?.push(performance.now() - started);
    }
  }
  return latencies;
}

type Meter = ReturnType<typeof stackCpuMeter>;

/**
 * Waits until InfluxDB's background work after writes (cache snapshots, compactions) has died
 * down: at most 20 ms of its CPU in half a second, or 20 s. A block waits for it before it is
 * read, so that work counts for the writes that caused it (compactions that come later, after
 * InfluxDB's cold-shard interval, are not counted).
 */
async function settle(meter: Meter): Promise<void> {
  const until = performance.now() + 20_000;
  for (;;) {
    const start = meter.read();
    await sleep(500);
    if ((meter.since(start).InfluxDB ?? 0) <= 20 || performance.now() > until) return;
  }
}

/** CPU (ms) each process used per second while nothing ran (after InfluxDB settled). */
async function idleRates(meter: Meter): Promise<StackCpu> {
  await settle(meter);
  const start = meter.read();
  const started = performance.now();
  await sleep(BLOCK_MS);
  const used = meter.since(start);
  const seconds = (performance.now() - started) / 1000;
  return Object.fromEntries(STACK_PROCESSES.map((p) => [p, used[p] === undefined ? undefined : (used[p] ?? 0) / seconds])) as StackCpu;
}

/** One probe alone for BLOCK_MS (at least MIN_BLOCK_REQUESTS): CPU per request of every process, idle use subtracted. */
async function cpuBlock(meter: Meter, idle: StackCpu, probe: Probe): Promise<{ requests: number; perRequest: StackCpu }> {
  const start = meter.read();
  const started = performance.now();
  let requests = 0;
  while (performance.now() - started < BLOCK_MS || requests < MIN_BLOCK_REQUESTS) {
    await probe.run();
    requests++;
  }
  await settle(meter);
  const used = meter.since(start);
  const seconds = (performance.now() - started) / 1000;
  const perRequest = {} as Record<StackProcess, number | undefined>;
  for (const p of STACK_PROCESSES) {
    const u = used[p];
    const rate = idle[p];
    perRequest[p] = u === undefined || rate === undefined ? undefined : Math.max(0, u - rate * seconds) / requests;
  }
  return { requests, perRequest };
}

/** A device of the tenant for the MQTT engines, connected to the broker with its own credential. */
async function mqttDevice(url: string, tenant: BenchTenant): Promise<{ device: mqtt.MqttClient; topic: string }> {
  const assetIds = [MQTT_ENGINE, MQTT_ENGINE - 1].map((e) => tenant.assetIds.get(`engine_${e}`) ?? "");
  const { createDevice } = await graphql<{
    createDevice: { issued: { secret: string; mqttClientId: string; mqttTopic: string; mqttUsername: string } };
  }>(
    url,
    "mutation ($i: CreateDeviceInput!) { createDevice(input: $i) { issued { secret mqttClientId mqttTopic mqttUsername } } }",
    { i: { name: "bench MQTT gateway", assetIds } },
    tenant.token,
  );
  const { issued } = createDevice;
  const device = await mqtt.connectAsync(config.MQTT_URL, {
    username: issued.mqttUsername,
    password: issued.secret,
    clientId: issued.mqttClientId,
    protocolVersion: 5,
    reconnectPeriod: 1_000,
  });
  return { device, topic: issued.mqttTopic };
}

async function countOf(tenant: BenchTenant, engine: number): Promise<number> {
  const answer = await influxQuery(influx, {
    db: tenantDatabase(tenant.tenantId),
    q: `SELECT count("s1") FROM "turbofan" WHERE "asset" = 'engine_${engine}'`,
  });
  const value = answer.results[0]?.series?.[0]?.values?.[0]?.[1];
  return typeof value === "number" ? value : 0;
}

/** BURST one-point messages published at once; the bridge (one API copy) writes them one at a time. */
async function mqttBurst(meter: Meter, idle: StackCpu, device: mqtt.MqttClient, topic: string, tenant: BenchTenant): Promise<void> {
  const engine = MQTT_ENGINE - 1;
  const before = await countOf(tenant, engine);
  const messages = Array.from({ length: BURST }, () => onePoint(engine).body);
  const start = meter.read();
  const started = performance.now();
  await Promise.all(messages.map((body) => device.publishAsync(topic, body, { qos: 1 })));
  const acknowledged = performance.now() - started;
  let stored = before;
  while (stored < before + BURST) {
    if (performance.now() - started > 120_000) throw new Error(`the bridge stored ${stored - before} of ${BURST} messages in 2 minutes`);
    await sleep(20);
    stored = await countOf(tenant, engine);
  }
  const storedMs = performance.now() - started;
  await settle(meter);
  const seconds = (performance.now() - started) / 1000;
  const used = meter.since(start);
  const per = (p: StackProcess) => {
    const u = used[p];
    const rate = idle[p];
    return u === undefined || rate === undefined ? undefined : Math.max(0, u - rate * seconds) / BURST;
  };
  say(
    `MQTT bridge, one API copy: ${int(BURST)} one-point messages published at once (QoS 1), the broker acknowledged them all in ${ms(acknowledged)} ms, ` +
      `all stored after ${(storedMs / 1000).toFixed(2)} s: ${int(BURST / (storedMs / 1000))} messages/s`,
  );
  say(
    `  CPU per message (ms): ${(["API", "Postgres", "InfluxDB", "Mosquitto", "bench"] as const).map((p) => `${p} ${cpuCell(per(p))}`).join(", ")}`,
  );
}

/**
 * Whether one tenant's writes queue behind each other: WRITERS clients writing 5,000-point batches
 * to one tenant, against the same clients each writing to its own tenant (legs A B B A).
 */
async function oneTenantSerialization(url: string, tenant: BenchTenant, db: ReturnType<typeof connectDb>): Promise<void> {
  const others: BenchTenant[] = [tenant];
  for (let i = 1; i < WRITERS; i++) others.push(await setUpTenant(url, `backends-${i}`));
  const leg = async (targets: readonly BenchTenant[], sampleLocks: boolean) => {
    let next = 0;
    let sampling = sampleLocks;
    const samples: number[] = [];
    const sampler = (async () => {
      while (sampling) {
        const [row] = await db.sql<{ waiting: number }[]>`
          select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted`;
        samples.push(row?.waiting ?? 0);
        await sleep(5);
      }
    })();
    const started = performance.now();
    await Promise.all(
      targets.map(async (t) => {
        while (next < SERIAL_BATCHES) {
          next++;
          await writeThroughApi(url, t.deviceToken, batch());
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    return {
      perSecond: SERIAL_BATCHES / seconds,
      waiting: samples.length ? samples.filter((s) => s > 0).length / samples.length : Number.NaN,
    };
  };
  const same = Array.from({ length: WRITERS }, () => tenant);
  const a1 = await leg(same, true);
  const b1 = await leg(others, true);
  const b2 = await leg(others, false);
  const a2 = await leg(same, false);
  const one = (a1.perSecond + a2.perSecond) / 2;
  const many = (b1.perSecond + b2.perSecond) / 2;
  say(
    `one tenant's writes: ${WRITERS} clients writing ${int(BATCH_POINTS)}-point batches through the API, ${SERIAL_BATCHES} batches a leg, legs A B B A:`,
  );
  say(
    `  A, all ${WRITERS} to one tenant: ${one.toFixed(1)} batches/s (${int(one * BATCH_POINTS)} points/s); a batch waited on an advisory lock in ${(a1.waiting * 100).toFixed(0)}% of samples`,
  );
  say(
    `  B, each to its own tenant:  ${many.toFixed(1)} batches/s (${int(many * BATCH_POINTS)} points/s); a batch waited on an advisory lock in ${(b1.waiting * 100).toFixed(0)}% of samples`,
  );
  say(`  ratio B/A ${(many / one).toFixed(2)}`);
}

/** How busy the machine was while measuring, and how much of that was other work than this stack's. */
function printMachine(machine: CpuUse, stack: StackCpu): void {
  if (machine.machineBusy === undefined || machine.machineTotal === undefined) return;
  const ours = STACK_PROCESSES.reduce((sum, p) => sum + (stack[p] ?? 0), 0);
  const share = (x: number) => `${((x / (machine.machineTotal ?? 1)) * 100).toFixed(0)}%`;
  say(
    `machine while measuring: busy ${share(machine.machineBusy)} of ${availableParallelism()} cores; this stack, the API, the worker and the bench ${share(ours)}, ` +
      `other work ${share(Math.max(0, machine.machineBusy - ours))}`,
  );
}

function printTable(rows: readonly Row[]): void {
  const head = ["backend", "request", "n", "median ms", "p95 ms", "× select 1", ...STACK_PROCESSES.map((p) => `CPU ${p}`)];
  say(`| ${head.join(" | ")} |`);
  say(`|${head.map(() => "---").join("|")}|`);
  for (const row of rows) {
    const sorted = ascending(row.latencies);
    const med = quantile(sorted, 0.5);
    const cells = [
      row.probe.backend,
      row.probe.label,
      String(sorted.length),
      ms(med),
      ms(quantile(sorted, 0.95)),
      (med / row.baseline).toFixed(1),
      ...STACK_PROCESSES.map((p) => cpuCell(row.cpu?.perRequest[p])),
    ];
    say(`| ${cells.join(" | ")} |`);
  }
}

function printTrips(rows: readonly Row[]): void {
  const backends = ["Postgres", "InfluxDB", "MQTT", "Temporal", "Stripe"] as const;
  const head = ["request", ...backends.map((b) => `${b} round trips`), "new connections"];
  say(`| ${head.join(" | ")} |`);
  say(`|${head.map(() => "---").join("|")}|`);
  for (const row of rows) {
    const t = row.trips;
    if (!t) continue;
    const cell = (b: (typeof backends)[number]) => `${t.median[b]} (${t.mean[b].toFixed(2)})`;
    say(`| ${row.probe.backend}: ${row.probe.label} | ${backends.map(cell).join(" | ")} | ${t.connections.toFixed(2)} |`);
  }
}

const db = connectDb(config.DATABASE_URL, { max: 1, applicationName: "pdm-bench-backends" });
const temporal = await connectTemporal(config.TEMPORAL_ADDRESS);
const client = new Client({ connection: temporal, namespace: config.TEMPORAL_NAMESPACE });
const stripe = createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS);
const worker = await startWorker();
let device: mqtt.MqttClient | undefined;
try {
  const [server] = await db.sql<{ pid: number; max_connections: string; server_version: string }[]>`
    select pg_backend_pid() as pid, current_setting('max_connections') as max_connections, current_setting('server_version') as server_version`;
  const influxVersion = (await fetch(`${influx.url}/ping`)).headers.get("x-influxdb-version") ?? "?";
  const postmaster = postmasterOf(server?.pid ?? 0);
  say(
    `backends: ${new Date().toISOString()}; Node ${process.version}; ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "?"}); ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
  );
  say(
    `Postgres ${server?.server_version} (max_connections ${server?.max_connections}), InfluxDB ${influxVersion}, Temporal dev server, Mosquitto, stripe-mock; ` +
      `API and worker as child processes, DATABASE_POOL_SIZE ${config.DATABASE_POOL_SIZE}`,
  );
  say(
    `latency: one request at a time; fast probes ${ROUNDS} rounds, slow ones ${SLOW_ROUNDS}, interleaved; CPU: blocks of ${BLOCK_MS / 1000} s per probe, each until InfluxDB settled, idle use subtracted`,
  );

  let tenant: BenchTenant | undefined;
  let engine1 = "";
  let topic = "";
  const rows: Row[] = [];
  await withApi({ env: { MQTT_BRIDGE: "on" } }, async (api) => {
    tenant = await setUpTenant(api.url, "backends");
    engine1 = tenant.assetIds.get("engine_1") ?? "";
    await writeThroughApi(api.url, tenant.deviceToken, dayOfEngine1());
    const day = await influxQuery(influx, { db: tenantDatabase(tenant.tenantId), q: DAY_INFLUXQL });
    const windows = day.results[0]?.series?.[0]?.values?.length ?? 0;
    if (windows !== DAY_WINDOWS) throw new Error(`the day of engine_1 holds ${windows} windows, expected ${DAY_WINDOWS}`);
    const connected = await mqttDevice(api.url, tenant);
    device = connected.device;
    topic = connected.topic;

    const probes = allProbes({
      apiUrl: api.url,
      db,
      influx,
      pollInflux: influx,
      temporal,
      workflows: client,
      namespace: config.TEMPORAL_NAMESPACE,
      stripe,
      stripeBase: config.STRIPE_API_BASE,
      stripeKey: config.STRIPE_SECRET_KEY,
      device,
      topic,
      tenant,
      engine1,
    });
    const meter = stackCpuMeter({ api: api.pid, worker: worker.pid, ...(postmaster ? { postmaster } : {}) });
    const machine = cpuMeter();
    const stackStart = meter.read();
    const machineStart = machine.read();
    const [baseline] = probes;
    if (!baseline) throw new Error("no baseline probe");
    const fast = probes.filter((p) => !p.slow);
    const slow = [baseline, ...probes.filter((p) => p.slow)];
    const fastLatencies = await rotate(fast, ROUNDS, 10);
    const slowLatencies = await rotate(slow, SLOW_ROUNDS, 3);
    const fastBase = median(fastLatencies[0] ?? []);
    const slowBase = median(slowLatencies[0] ?? []);
    fast.forEach((probe, i) => {
      rows.push({ probe, latencies: fastLatencies[i] ?? [], baseline: fastBase });
    });
    slow.slice(1).forEach((probe, i) => {
      rows.push({ probe, latencies: slowLatencies[i + 1] ?? [], baseline: slowBase });
    });
    rows.sort((a, b) => probes.indexOf(a.probe) - probes.indexOf(b.probe));
    say(
      `baseline select 1: median ${ms(fastBase)} ms in the fast rotation, ${ms(slowBase)} ms in the slow one (each row is compared with its own)`,
    );

    const idle = await idleRates(meter);
    say(`idle CPU (ms per second, subtracted from the blocks): ${STACK_PROCESSES.map((p) => `${p} ${cpuCell(idle[p])}`).join(", ")}`);
    for (const row of rows) row.cpu = await cpuBlock(meter, idle, row.probe);
    say();
    await mqttBurst(meter, idle, device, topic, tenant);
    say();
    await oneTenantSerialization(api.url, tenant, db);
    printMachine(machine.since(machineStart), meter.since(stackStart));
  });

  if (!tenant || !device) throw new Error("the bench tenant was not set up");
  const counted = { tenant, device, topic, engine1 };
  const tripsByLabel = await countRoundTrips(config, async (apiUrl, relayed) => {
    const relayedDb = connectDb(relayed.DATABASE_URL, { max: 1, applicationName: "pdm-bench-backends-relayed" });
    const relayedTemporal = await connectTemporal(relayed.TEMPORAL_ADDRESS);
    const probes = allProbes({
      ...counted,
      apiUrl,
      db: relayedDb,
      influx: { ...influx, url: relayed.INFLUX_URL },
      pollInflux: influx,
      temporal: relayedTemporal,
      workflows: new Client({ connection: relayedTemporal, namespace: config.TEMPORAL_NAMESPACE }),
      namespace: config.TEMPORAL_NAMESPACE,
      stripe: createStripe(config.STRIPE_SECRET_KEY, relayed.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS),
      stripeBase: relayed.STRIPE_API_BASE,
      stripeKey: config.STRIPE_SECRET_KEY,
    });
    return {
      probes,
      close: async () => {
        await relayedTemporal.close();
        await relayedDb.close();
      },
    };
  });
  for (const row of rows) row.trips = tripsByLabel.get(`${row.probe.backend}: ${row.probe.label}`);

  say();
  say("per request (latency one at a time; CPU ms per request of each process, from blocks of one probe):");
  printTable(rows);
  say();
  say(
    "round trips per request to each backend, median (mean) of 30: every backend address of a second API process and of this process's clients " +
      "is a counting relay (the worker's are not; MQTT for the bridge row is the broker's next delivery after the bridge's acknowledgement)",
  );
  printTrips(rows);
  say(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
} finally {
  await device?.endAsync().catch(() => undefined);
  await stopWorker(worker);
  await temporal.close();
  await db.close();
}
