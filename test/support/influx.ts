import { queryAnswerSchema } from "../../src/telemetry/influx/store.js";
import type { Api } from "./harness.js";

type Answer = ReturnType<typeof queryAnswerSchema.parse>;
export type InfluxSeries = NonNullable<Answer["results"][number]["series"]>[number];

/**
 * InfluxQL straight to a tenant's InfluxDB database, as an oracle beside the store: one list of
 * series per statement (empty where the database or measurement does not exist).
 */
export async function influxQuery(api: Api, tenantId: string, q: string): Promise<InfluxSeries[][]> {
  const { INFLUX_URL, INFLUX_USERNAME, INFLUX_PASSWORD } = api.services.config;
  const url = new URL("/query", INFLUX_URL);
  url.searchParams.set("db", `t_${tenantId}`);
  url.searchParams.set("q", q);
  url.searchParams.set("epoch", "ms");
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${INFLUX_USERNAME}:${INFLUX_PASSWORD}`).toString("base64")}` },
  });
  const body = queryAnswerSchema.parse(await res.json());
  const failed = body.error ?? body.results.find((r) => r.error && !r.error.startsWith("database not found"))?.error;
  if (failed) throw new Error(`InfluxQL failed: ${failed}`);
  return body.results.map((r) => r.series ?? []);
}
