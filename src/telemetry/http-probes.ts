import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** The InfluxDB release whose write API the ingest routes answer as. */
export const COMPATIBLE_VERSION = "1.8-compatible";
/** InfluxDB's build flavour header: "OSS" is the one every client accepts without enterprise features. */
export const BUILD = "OSS";

/** InfluxDB's version headers, which its clients read on every answer. */
export const withInfluxHeaders = (reply: FastifyReply): FastifyReply =>
  reply.header("x-influxdb-version", COMPATIBLE_VERSION).header("x-influxdb-build", BUILD);

/**
 * InfluxDB's health answer, as its clients' `health()` reads it. Static on purpose: anyone may ask,
 * so it does no backend check (readiness with its checks is /readyz).
 */
const HEALTH = Object.freeze({
  name: "influxdb",
  message: "ready for queries and writes",
  status: "pass",
  checks: [],
  version: COMPATIBLE_VERSION,
  commit: "none",
});

/** What InfluxDB clients, Telegraf and the influx CLI probe before writing: `/ping` and `/health`. */
export function registerInfluxProbes(app: FastifyInstance): void {
  const ping = async (_request: FastifyRequest, reply: FastifyReply) => withInfluxHeaders(reply).status(204).send();
  // Fastify answers HEAD for every GET route with the same headers.
  app.get("/ping", ping);
  app.get("/health", async (_request, reply) => withInfluxHeaders(reply).send(HEALTH));
}
