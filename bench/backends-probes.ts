import type { Client, Connection } from "@temporalio/client";
import { eq } from "drizzle-orm";
import type { MqttClient } from "mqtt";
import type Stripe from "stripe";
import { type Bucket, chargeCost } from "../src/api/limits/throttle.js";
import { SYNC_USAGE } from "../src/billing/index.js";
import type { UsageSyncResult } from "../src/billing/usage-sync.js";
import { type Db, withTenant } from "../src/db/client.js";
import { authenticateDevice } from "../src/telemetry/ingest.js";
import { executeWorkflow } from "../src/temporal/starter.js";
import { tenants } from "../src/tenancy/schema.js";
import {
  type BenchTenant,
  ENGINES,
  fieldSets,
  type Influx,
  influxQuery,
  influxQueryText,
  influxWrite,
  nsTimestamp,
  sleep,
  tenantDatabase,
  turbofanLine,
} from "./support.js";

/**
 * The requests the backends benchmark times, one function each: what one request costs, from
 * this process to a backend straight, or through the API process.
 */
export interface Probe {
  /** The backend the row belongs to in the table. */
  readonly backend: "Postgres" | "InfluxDB" | "API" | "MQTT" | "Temporal" | "Stripe";
  readonly label: string;
  /** Slow probes run in their own, shorter rotation. */
  readonly slow: boolean;
  readonly run: () => Promise<void>;
}

export const BATCH_POINTS = 5_000;
export const DAY_WINDOWS = 1_440;
const DAY_SENSORS = ["s1", "s2", "s3"] as const;
/** A day of engine_1 at one point a minute, ending more than an hour ago (the aggregate queries read it). */
export const DAY_TO = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
export const DAY_FROM = DAY_TO - DAY_WINDOWS * 60_000;

/**
 * Every point any probe writes gets its own millisecond, starting three days ago (outside the
 * day the aggregates read), so no batch repeats another: a repeated batch would be billed once
 * and skip the usage rollups, and cost less than a real one.
 */
const timeline = { nextMs: Date.now() - 3 * 86_400_000 };
const takeMs = (count: number): number => {
  const first = timeline.nextMs;
  timeline.nextMs += count;
  return first;
};

const FIELDS = fieldSets(1_000, 7);
const fieldsAt = (n: number): string => FIELDS[n % FIELDS.length] ?? "";

/** One point of `engine` at a fresh timestamp. */
export function onePoint(engine: number): { body: Buffer; ns: string } {
  const ms = takeMs(1);
  const ns = nsTimestamp(ms);
  return { body: Buffer.from(`${turbofanLine(engine, fieldsAt(ms), ns)}\n`), ns };
}

/** 5,000 points: the 100 engines at 50 fresh timestamps. */
export function batch(): Buffer {
  const first = takeMs(BATCH_POINTS / ENGINES);
  const lines: string[] = new Array(BATCH_POINTS);
  for (let k = 0; k < BATCH_POINTS; k++) {
    const ms = first + Math.floor(k / ENGINES);
    lines[k] = turbofanLine((k % ENGINES) + 1, fieldsAt(k + ms), nsTimestamp(ms));
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** The day of engine_1 the aggregates read, as one batch. */
export function dayOfEngine1(): Buffer {
  const lines = Array.from({ length: DAY_WINDOWS }, (_, minute) =>
    turbofanLine(1, fieldsAt(minute), nsTimestamp(DAY_FROM + minute * 60_000)),
  );
  return Buffer.from(`${lines.join("\n")}\n`);
}

const nsOf = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
export const DAY_INFLUXQL =
  `SELECT ${DAY_SENSORS.map((s) => `mean("${s}") AS "${s}"`).join(", ")} FROM "turbofan" WHERE "asset" = 'engine_1' ` +
  `AND time >= ${nsOf(DAY_FROM)} AND time < ${nsOf(DAY_TO)} GROUP BY time(60s) fill(none)`;

const AGGREGATE = `query ($assetId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $sensors: [String!]) {
  telemetryAggregate(assetId: $assetId, from: $from, to: $to, windowSeconds: 60, aggregate: MEAN, sensors: $sensors) { times }
}`;

async function expectStatus(res: Response, status: number, what: string): Promise<string> {
  const text = await res.text();
  if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

export async function writeThroughApi(url: string, deviceToken: string, body: Buffer): Promise<void> {
  const res = await fetch(`${url}/api/v2/write?org=o&bucket=b&precision=ns`, {
    method: "POST",
    headers: { authorization: `Token ${deviceToken}`, "content-type": "text/plain; charset=utf-8" },
    body,
  });
  await expectStatus(res, 204, "the API's /api/v2/write");
}

async function graphqlThroughApi(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<string> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await expectStatus(res, 200, "GraphQL");
  if (text.includes('"errors"')) throw new Error(`GraphQL failed: ${text.slice(0, 300)}`);
  return text;
}

/** Straight to Postgres as the API's role, on one connection. */
function postgresProbes(db: Db, tenant: BenchTenant): Probe[] {
  const scope = { tenantId: tenant.tenantId, userId: tenant.userId };
  const bucket: Bucket = { key: `bench:backends:${tenant.tenantId}`, tenantId: tenant.tenantId, defaultPerMinute: 60_000 };
  return [
    { backend: "Postgres", label: "select 1 (app role) — baseline", slow: false, run: async () => void (await db.sql`select 1`) },
    {
      backend: "Postgres",
      label: "tenant transaction: withTenant + 1 small select",
      slow: false,
      run: async () => {
        const rows = await withTenant(db.db, scope, (tx) =>
          tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenant.tenantId)),
        );
        if (rows.length !== 1) throw new Error("the tenant transaction found no tenant");
      },
    },
    {
      backend: "Postgres",
      label: "GraphQL rate-limit charge (graphql_cost_charge)",
      slow: false,
      run: async () => void (await chargeCost(db, bucket, 1)),
    },
    {
      backend: "Postgres",
      label: "device-token authentication (find + touch)",
      slow: false,
      run: async () => void (await authenticateDevice(db, tenant.deviceToken)),
    },
  ];
}

/** Straight to InfluxDB's 1.x HTTP API, in the tenant's database. */
function influxProbes(influx: Influx, tenant: BenchTenant): Probe[] {
  const db = tenantDatabase(tenant.tenantId);
  return [
    { backend: "InfluxDB", label: "write 1 point", slow: false, run: () => influxWrite(influx, db, onePoint(1).body, "ns") },
    { backend: "InfluxDB", label: "write 5,000 points", slow: true, run: () => influxWrite(influx, db, batch(), "ns") },
    {
      backend: "InfluxDB",
      label: "InfluxQL: 1-min means of 3 sensors over a day",
      slow: true,
      run: async () => void (await influxQueryText(influx, { db, epoch: "ms", q: DAY_INFLUXQL })),
    },
  ];
}

/** The API process end to end, over HTTP. */
function apiProbes(url: string, tenant: BenchTenant, engine1: string): Probe[] {
  const variables = { assetId: engine1, from: new Date(DAY_FROM).toISOString(), to: new Date(DAY_TO).toISOString(), sensors: DAY_SENSORS };
  return [
    {
      backend: "API",
      label: "GET /healthz",
      slow: false,
      run: async () => void (await expectStatus(await fetch(`${url}/healthz`), 200, "/healthz")),
    },
    {
      backend: "API",
      label: "GET /readyz (checks every backend)",
      slow: true,
      run: async () => void (await expectStatus(await fetch(`${url}/readyz`), 200, "/readyz")),
    },
    {
      backend: "API",
      label: "GraphQL { viewer { kind } }",
      slow: false,
      run: async () => void (await graphqlThroughApi(url, tenant.token, "{ viewer { kind } }")),
    },
    { backend: "API", label: "HTTP write, 1 point", slow: false, run: () => writeThroughApi(url, tenant.deviceToken, onePoint(1).body) },
    { backend: "API", label: "HTTP write, 5,000 points", slow: true, run: () => writeThroughApi(url, tenant.deviceToken, batch()) },
    {
      backend: "API",
      label: "GraphQL telemetryAggregate, a day (1,440 windows)",
      slow: true,
      run: async () => void (await graphqlThroughApi(url, tenant.token, AGGREGATE, variables)),
    },
  ];
}

/** Polls InfluxDB (every millisecond or so) until the point of `engine` at `ns` is stored. */
export async function untilStored(influx: Influx, tenant: BenchTenant, engine: number, ns: string, timeoutMs = 30_000): Promise<void> {
  const params = {
    db: tenantDatabase(tenant.tenantId),
    q: `SELECT "s1" FROM "turbofan" WHERE "asset" = 'engine_${engine}' AND time = ${ns}`,
  };
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await influxQuery(influx, params);
    if ((answer.results[0]?.series?.[0]?.values?.length ?? 0) > 0) return;
    if (Date.now() > until) throw new Error(`the MQTT point of engine_${engine} at ${ns} was not stored within ${timeoutMs} ms`);
    await sleep(1);
  }
}

/** The engines of the MQTT device: one for single messages, the one below it for the burst. */
export const MQTT_ENGINE = 99;
function mqttProbe(device: MqttClient, topic: string, influx: Influx, tenant: BenchTenant): Probe {
  return {
    backend: "MQTT",
    label: "publish 1 point (QoS 1) → stored in InfluxDB via the bridge",
    slow: true,
    run: async () => {
      const { body, ns } = onePoint(MQTT_ENGINE);
      await device.publishAsync(topic, body, { qos: 1 });
      await untilStored(influx, tenant, MQTT_ENGINE, ns);
    },
  };
}

/** The Temporal client as the API uses it, and the platform's shortest workflow on a worker process. */
function temporalProbes(connection: Connection, client: Client, namespace: string): Probe[] {
  let n = 0;
  const stamp = Date.now();
  return [
    {
      backend: "Temporal",
      label: "client call: DescribeNamespace (what /readyz asks)",
      slow: false,
      run: async () => void (await connection.workflowService.describeNamespace({ namespace })),
    },
    {
      backend: "Temporal",
      label: "workflow syncUsage with nothing to sync: start → result (1 activity)",
      slow: true,
      run: async () => {
        const result = (await executeWorkflow(client, SYNC_USAGE, {
          workflowId: `bench-backends-${stamp}-${n++}`,
          // Hours before 2000 are closed and hold no usage: the run lists no tenant and ends.
          args: [{ now: "2000-01-01T00:00:00.000Z" }],
        })) as UsageSyncResult;
        if (result.tenants !== 0) throw new Error(`syncUsage synced ${result.tenants} tenants; expected none`);
      },
    },
  ];
}

/** stripe-mock answers at once: this is our client's overhead, not Stripe's latency. */
function stripeProbes(stripe: Stripe, apiBase: string, secretKey: string): Probe[] {
  return [
    {
      backend: "Stripe",
      label: "stripe-mock: balance.retrieve through our client",
      slow: false,
      run: async () => void (await stripe.balance.retrieve()),
    },
    {
      backend: "Stripe",
      label: "stripe-mock: the same GET /v1/balance as a bare fetch",
      slow: false,
      run: async () =>
        void (await expectStatus(
          await fetch(`${apiBase}/v1/balance`, { headers: { authorization: `Bearer ${secretKey}` } }),
          200,
          "stripe-mock",
        )),
    },
  ];
}

/** Where the probes send their requests. */
export interface ProbeTargets {
  readonly apiUrl: string;
  readonly db: Db;
  readonly influx: Influx;
  /** Where the MQTT probe looks for its point (straight to InfluxDB, so the look is no request of the bridge). */
  readonly pollInflux: Influx;
  readonly temporal: Connection;
  readonly workflows: Client;
  readonly namespace: string;
  readonly stripe: Stripe;
  readonly stripeBase: string;
  readonly stripeKey: string;
  readonly device: MqttClient;
  readonly topic: string;
  readonly tenant: BenchTenant;
  readonly engine1: string;
}

/** Every probe, the baseline (`select 1`) first. */
export function allProbes(t: ProbeTargets): Probe[] {
  return [
    ...postgresProbes(t.db, t.tenant),
    ...influxProbes(t.influx, t.tenant),
    ...apiProbes(t.apiUrl, t.tenant, t.engine1),
    mqttProbe(t.device, t.topic, t.pollInflux, t.tenant),
    ...temporalProbes(t.temporal, t.workflows, t.namespace),
    ...stripeProbes(t.stripe, t.stripeBase, t.stripeKey),
  ];
}
