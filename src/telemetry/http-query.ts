import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { parseDeviceToken } from "../assets/index.js";
import { type PrincipalDeps, resolvePrincipal } from "../auth/index.js";
import { type CallServices, tenantCallThenRead } from "../core/calls.js";
import type { Principal } from "../core/context.js";
import { forbidden, unauthenticated } from "../core/errors.js";
import type { Db } from "../db/client.js";
import { influxCredential } from "./http-credentials.js";
import { frameworkFailureOf, HttpFailure, httpFailureOf, internalFailure, withFailureHeaders } from "./http-failure.js";
import { withInfluxHeaders } from "./http-probes.js";
import type { Statement } from "./influxql/ast.js";
import { checkDatabaseName, checkDatabases, checkRetentionPolicy } from "./influxql/checks.js";
import { InfluxqlRefusal } from "./influxql/errors.js";
import { parseInfluxql } from "./influxql/parse.js";
import { type InfluxqlDeps, PUBLIC_DATABASE, queryInfluxql } from "./influxql-query.js";
import { renderAnswers } from "./influxql-render.js";
import { authenticateDevice } from "./ingest.js";

type Params = Partial<Record<"q" | "db" | "rp" | "epoch" | "chunked" | "chunk_size" | "pretty" | "u" | "p", string>>;

export type QueryServices = InfluxqlDeps & CallServices & PrincipalDeps & { readonly db: Db };

/** Rows per part when the caller does not ask for chunks (InfluxDB's own default chunk size). */
const DEFAULT_CHUNK = 10_000;

const EPOCHS: Record<string, "ns" | "u" | "ms" | "s" | "m" | "h"> = { ns: "ns", n: "ns", u: "u", µ: "u", ms: "ms", s: "s", m: "m", h: "h" };

/** The URL's parameters, and a form body's over them (as InfluxDB reads `r.FormValue`). */
function paramsOf(request: FastifyRequest): Params {
  const out: Record<string, string> = {};
  for (const source of [request.query, request.body]) {
    if (!source || typeof source !== "object" || Buffer.isBuffer(source)) continue;
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
      const value = Array.isArray(v) ? v[0] : v;
      if (typeof value === "string") out[k] = value;
    }
  }
  return out;
}

/** The key or token: `p` (with any `u`), Basic (its password, or its user name alone), `Token` or `Bearer`. */
function credentialOf(request: FastifyRequest, params: Params): string | undefined {
  const credential = influxCredential(request.headers.authorization, params.p);
  if (credential === null)
    throw unauthenticated('The Authorization header must be "Token <key>", "Bearer <key>" or Basic with the key as the password.');
  return credential;
}

/** A caller that presented a valid device token: it may only send CREATE DATABASE (see the handler). */
const DEVICE = Symbol("device");

async function authenticate(services: QueryServices, request: FastifyRequest, params: Params): Promise<Principal | typeof DEVICE> {
  const credential = credentialOf(request, params);
  if (!credential) {
    throw unauthenticated(
      'Send an API key with telemetry:read: as the "p" parameter, Basic (the key as the password), "Token <key>" or "Bearer <key>".',
    );
  }
  if (parseDeviceToken(credential)) {
    await authenticateDevice(services.db, credential);
    return DEVICE;
  }
  if (/\s/.test(credential)) throw unauthenticated("The credential is not valid.");
  const principal = await resolvePrincipal(services, `Bearer ${credential}`);
  if (principal.kind === "anonymous") throw unauthenticated("The credential is not valid.");
  return principal;
}

/** The statements, refused whole as InfluxDB refuses them when any is outside the subset. */
function statementsOf(params: Params): Statement[] {
  const q = params.q;
  if (q === undefined || q.trim() === "") throw new HttpFailure(400, "VALIDATION", 'missing required parameter "q"');
  const statements = parseInfluxql(q);
  const needsDatabase = statements.some((s) => s.kind !== "showDatabases" && s.kind !== "createDatabase");
  if (needsDatabase) {
    checkDatabaseName(params.db || undefined, PUBLIC_DATABASE);
    checkRetentionPolicy(params.rp || undefined, PUBLIC_DATABASE);
  }
  checkDatabases(statements, PUBLIC_DATABASE);
  return statements;
}

function chunkSizeOf(params: Params, maxRows: number): number {
  if (params.chunked !== "true") return DEFAULT_CHUNK;
  const size = Number(params.chunk_size ?? DEFAULT_CHUNK);
  return Number.isSafeInteger(size) && size > 0 ? Math.min(size, maxRows) : DEFAULT_CHUNK;
}

export interface QueryRouteLimits {
  readonly maxBodyBytes: number;
  /** Rows one request may answer. */
  readonly maxRows: number;
}

function failureOf(error: unknown): HttpFailure | undefined {
  if (error instanceof InfluxqlRefusal) {
    return error.kind === "parse"
      ? new HttpFailure(400, "VALIDATION", `error parsing query: ${error.message}`)
      : new HttpFailure(403, "FORBIDDEN", `error authorizing query: ${error.message}`);
  }
  return httpFailureOf(error, "retry later.");
}

/**
 * InfluxDB 1.x's read endpoint, `GET` and `POST /query`, for the InfluxQL subset: the tenant is
 * the caller's (an API key or a member token with telemetry:read), the statements are read into
 * typed ones and rebuilt for the tenant's database, and answers have InfluxDB's shape.
 */
export async function registerQueryRoute(app: FastifyInstance, services: QueryServices, limits: QueryRouteLimits): Promise<void> {
  const { maxBodyBytes, maxRows } = limits;
  await app.register(async (scope) => {
    // Forms as InfluxDB reads them; any other body (or an empty Content-Type, as Go clients send) is ignored.
    scope.addHook("onRequest", async (request) => {
      const type = request.headers["content-type"];
      if (type !== undefined && !type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
        request.headers["content-type"] = "application/octet-stream";
      }
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: maxBodyBytes },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: maxBodyBytes }, (_request, body, done) => done(null, body));

    const handle = async (request: FastifyRequest, reply: FastifyReply) => {
      withInfluxHeaders(reply);
      const params = paramsOf(request);
      const pretty = params.pretty === "true";
      try {
        const principal = await authenticate(services, request, params);
        const statements = statementsOf(params);
        const chunked = params.chunked === "true";
        if (principal === DEVICE) {
          // Telegraf's InfluxDB output sends CREATE DATABASE with its write credentials when it starts:
          // answered as for any caller (it changes nothing); everything else needs a reader.
          if (!statements.every((s) => s.kind === "createDatabase")) {
            throw forbidden("Device tokens only write telemetry; reads need an API key (or a member token) with the telemetry:read scope.");
          }
          const created = statements.map(() => [{}]);
          return reply
            .status(200)
            .header("content-type", "application/json")
            .send(Buffer.from(renderAnswers(created, { chunked, pretty })));
        }
        const epoch = params.epoch ? (EPOCHS[params.epoch] ?? "ns") : undefined;
        const rc = { requestId: request.id, principal, services };
        const answers = await tenantCallThenRead(rc, "telemetry:read", (ctx) =>
          queryInfluxql(ctx, { statements, epoch, chunkSize: chunkSizeOf(params, maxRows), maxRows }),
        );
        return reply
          .status(200)
          .header("content-type", "application/json")
          .send(Buffer.from(renderAnswers(answers, { chunked, pretty })));
      } catch (error) {
        const failure = failureOf(error);
        if (!failure) throw error;
        return sendError(reply, failure, pretty);
      }
    };
    scope.get("/query", handle);
    scope.post("/query", handle);

    scope.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
      withInfluxHeaders(reply);
      const refused = frameworkFailureOf(error, "The request could not be read.");
      if (refused) return sendError(reply, refused, false);
      request.log.error({ err: error }, "unexpected error in /query");
      return sendError(reply, internalFailure(request.id), false);
    });
  });
}

function sendError(reply: FastifyReply, failure: HttpFailure, pretty: boolean) {
  withFailureHeaders(reply, failure);
  reply.header("x-influxdb-error", failure.message.replace(/[^\x20-\x7e]/g, "?").slice(0, 500));
  return reply
    .status(failure.status)
    .header("content-type", "application/json")
    .send(Buffer.from(`${JSON.stringify({ error: failure.message }, null, pretty ? 4 : undefined)}\n`));
}
