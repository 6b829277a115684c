import { gzipSync } from "node:zlib";
import type { Api } from "./harness.js";
import { influxQuery } from "./influx.js";

/** A C-MAPSS-shaped line: 3 settings and 21 sensors for one engine and cycle. */
export function turbofanLine(externalId: string, cycle: number, timeNs: bigint, typeKey = "turbofan"): string {
  const fields = [`setting1=${(cycle % 7) * 0.001}`, `setting2=${(cycle % 3) * 0.0001}`, "setting3=100"];
  for (let i = 1; i <= 21; i++) fields.push(`s${i}=${(500 + i + (cycle % 10) / 10).toFixed(2)}`);
  return `${typeKey},asset=${externalId} ${fields.join(",")} ${timeNs}`;
}

export const msToNs = (ms: number): bigint => BigInt(ms) * 1_000_000n;

export interface WriteAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

export async function writeV2(
  api: Api,
  token: string | undefined,
  body: string | Buffer,
  options: { precision?: string; gzip?: boolean; bucket?: string | null } = {},
): Promise<WriteAnswer> {
  const params = new URLSearchParams({ org: "any" });
  if (options.bucket !== null) params.set("bucket", options.bucket ?? "telemetry");
  if (options.precision) params.set("precision", options.precision);
  const payload = options.gzip ? gzipSync(body) : body;
  const res = await fetch(`${api.url}/api/v2/write?${params}`, {
    method: "POST",
    headers: {
      "content-type": "text/plain; charset=utf-8",
      ...(token ? { authorization: `Token ${token}` } : {}),
      ...(options.gzip ? { "content-encoding": "gzip" } : {}),
    },
    body: payload,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

/** Points of a measurement in a tenant's database, counted straight in InfluxDB. */
export async function countPoints(api: Api, tenantId: string, measurement = "turbofan", field = "s1"): Promise<number> {
  const series = await influxQuery(api, tenantId, `SELECT count("${field}") FROM "${measurement}"`);
  const value = series[0]?.[0]?.values[0]?.[1];
  return typeof value === "number" ? value : 0;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
