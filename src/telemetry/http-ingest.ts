import { gunzip } from "node:zlib";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { DevicePrincipal } from "../core/context.js";
import { validation } from "../core/errors.js";
import type { IngestDeps } from "./deps.js";
import { attributable, pointsInBody, recordRefusal } from "./diagnostics.js";
import { influxCredential } from "./http-credentials.js";
import { frameworkFailureOf, HttpFailure, httpFailureOf, internalFailure, withFailureHeaders } from "./http-failure.js";
import { registerInfluxProbes } from "./http-probes.js";
import { authenticateDevice, type IngestSource, ingest } from "./ingest.js";
import { parsePrecision } from "./line-protocol.js";
import { StoreRefusedError } from "./store.js";

/** InfluxDB's own error codes for its v2 API, by HTTP status. */
const V2_CODES: Record<number, string> = {
  400: "invalid",
  401: "unauthorized",
  402: "payment required",
  403: "forbidden",
  404: "not found",
  405: "method not allowed",
  413: "request too large",
  415: "unsupported media type",
  429: "too many requests",
  500: "internal error",
  503: "unavailable",
};

interface WriteQuery {
  db?: string;
  bucket?: string;
  org?: string;
  precision?: string;
  u?: string;
  p?: string;
}

function credentialOf(request: FastifyRequest, query: WriteQuery): string | undefined {
  return influxCredential(request.headers.authorization, query.p) ?? undefined;
}

/** The body as bytes (decompressed) and as text: the text is validated, the bytes forwarded. */
function decode(request: FastifyRequest, limit: number): Promise<{ raw: Buffer; text: string }> {
  const body = request.body;
  const raw = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
  const encoding = String(request.headers["content-encoding"] ?? "identity").toLowerCase();
  if (encoding === "identity") return Promise.resolve({ raw, text: raw.toString("utf8") });
  if (encoding !== "gzip")
    throw new HttpFailure(415, "VALIDATION", `Content-Encoding "${encoding}" is not supported; send gzip or nothing.`);
  return new Promise((resolve, reject) => {
    gunzip(raw, { maxOutputLength: limit }, (error, out) => {
      if (!error) return resolve({ raw: out, text: out.toString("utf8") });
      if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
        return reject(new HttpFailure(413, "VALIDATION", `The uncompressed body is larger than ${limit} bytes; send smaller batches.`));
      }
      reject(new HttpFailure(400, "VALIDATION", "The body is not valid gzip."));
    });
  });
}

/**
 * InfluxDB-compatible write endpoints: `/api/v2/write` (the 2.x clients) and `/write` (1.x,
 * Telegraf). The device token decides the tenant; `org`, `bucket` and `db` are required as
 * InfluxDB requires them, and otherwise ignored.
 */
export async function registerIngestRoutes(app: FastifyInstance, deps: IngestDeps, maxBodyBytes: number): Promise<void> {
  await app.register(async (scope) => {
    // InfluxDB reads every write body as line protocol whatever its Content-Type says, and its 1.x Go
    // clients (the influx CLI among them) send an empty one, which Fastify would refuse with 415 before
    // any parser runs: a present header is replaced by one every parser accepts (a missing one is fine).
    scope.addHook("onRequest", async (request) => {
      if (request.headers["content-type"] !== undefined) request.headers["content-type"] = "application/octet-stream";
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));

    const handle = (version: 1 | 2, source: IngestSource) => async (request: FastifyRequest, reply: FastifyReply) => {
      const query = (request.query ?? {}) as WriteQuery;
      let device: DevicePrincipal | undefined;
      let body: string | undefined;
      let authenticating = false;
      try {
        if (version === 2 && !query.bucket) throw validation('The "bucket" parameter is required.');
        if (version === 1 && !query.db) throw validation('The "db" parameter is required.');
        const precision = parsePrecision(query.precision);
        if (!precision || (version === 2 && (precision === "m" || precision === "h"))) {
          throw validation(`Unknown precision "${query.precision}"; use ${version === 2 ? "ns, us, ms or s" : "n, u, ms, s, m or h"}.`);
        }
        authenticating = true;
        device = await authenticateDevice(deps.db, credentialOf(request, query));
        const { raw, text } = await decode(request, maxBodyBytes);
        body = text;
        const result = await ingest({ principal: device, requestId: request.id, deps }, { body: text, raw, precision, source });
        request.log.debug({ points: result.points, tenantId: device.tenantId, deviceId: device.deviceId }, "batch written");
        return reply.status(204).send();
      } catch (error) {
        const failure = httpFailureOf(error, "nothing was written. Retry later.");
        if (failure && failure.status < 500 && attributable(failure) && !authenticating) {
          // Refused for its parameters before its token was read: the device's all the same, if the token is good.
          device = await authenticateDevice(deps.db, credentialOf(request, query)).catch(() => undefined);
          if (device) body = (await decode(request, maxBodyBytes).catch(() => undefined))?.text;
        }
        if (failure && device && failure.status < 500 && attributable(failure)) {
          const points = body === undefined ? 0 : pointsInBody(body);
          await recordRefusal({ principal: device, requestId: request.id, deps }, { protocol: "http", refusal: failure, points }).catch(
            (recordError: unknown) =>
              request.log.warn({ err: recordError }, "a refused batch could not be recorded in the device's diagnostics"),
          );
        }
        if (failure) return sendFailure(reply, version, failure, request.id);
        if (error instanceof StoreRefusedError) {
          // Validation and the series budget should make a partial write impossible: a bug.
          request.log.error({ err: error }, "BUG: InfluxDB refused part of a validated batch");
          return sendFailure(reply, version, internalFailure(request.id), request.id);
        }
        throw error;
      }
    };

    scope.post("/api/v2/write", handle(2, "http_v2"));
    scope.post("/write", handle(1, "http_v1"));

    scope.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
      const version = request.url.startsWith("/api/v2") ? 2 : 1;
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        return sendFailure(
          reply,
          version,
          new HttpFailure(413, "VALIDATION", `The body is larger than ${maxBodyBytes} bytes; send smaller batches.`),
          request.id,
        );
      }
      const refused = frameworkFailureOf(error, "The request could not be read; send line protocol, plain or gzip.");
      if (refused) {
        if (!error.code?.startsWith("FST_")) request.log.info({ err: error }, "ingest request refused by a library");
        return sendFailure(reply, version, refused, request.id);
      }
      request.log.error({ err: error }, "unexpected error in ingest");
      return sendFailure(reply, version, internalFailure(request.id), request.id);
    });
  });

  registerInfluxProbes(app);
}

function sendFailure(reply: FastifyReply, version: 1 | 2, failure: HttpFailure, requestId: string) {
  withFailureHeaders(reply, failure);
  const body =
    version === 2
      ? { code: V2_CODES[failure.status] ?? "invalid", message: failure.message, ...failure.details, requestId }
      : { error: failure.message, ...failure.details, requestId };
  return reply.status(failure.status).send(body);
}
