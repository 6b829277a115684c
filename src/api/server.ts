import { randomBytes } from "node:crypto";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { fastifyApolloDrainPlugin, fastifyApolloHandler } from "@as-integrations/fastify";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, type RouteHandlerMethod } from "fastify";
import type { Logger } from "pino";
import { resolvePrincipal } from "../auth/index.js";
import { registerBillingExportRoutes, registerStripeWebhookRoute } from "../billing/index.js";
import type { Principal } from "../core/context.js";
import { AppError, httpStatus } from "../core/errors.js";
import { createLogger } from "../core/logger.js";
import { loadPortalDocuments, registerPortal } from "../portal/index.js";
import { type QueryCharge, registerExportRoute, registerIngestRoutes, registerQueryRoute } from "../telemetry/index.js";
import { formatGraphQLError, graphQLErrorBody, INTERNAL_MESSAGE, isExpectedError, UNREADABLE_MESSAGE } from "./errors.js";
import { isLoopbackPeer, readinessAnswer, sharedReadiness } from "./health.js";
import { createCostThrottle } from "./limits/cost-throttle.js";
import { limitsPlugin } from "./limits/plugin.js";
import { bucketOf } from "./limits/throttle.js";
import { createPersistedQueryStore, persistedQueryPlugin } from "./persisted-queries.js";
import { buildApiSchema } from "./schema.js";
import type { RequestContext, Services } from "./services.js";
import { attachSubscriptions } from "./subscriptions.js";
import { textInputPlugin } from "./text-input.js";

const BODY_LIMIT = 1024 * 1024;

/** Logs what the caller is not shown: every error that is not an expected, typed one. */
function errorLogPlugin(log: FastifyBaseLogger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (isExpectedError(error)) continue;
            log.error(
              { err: unwrapResolverError(error), requestId: contextValue.requestId, path: error.path },
              "unexpected error in GraphQL operation",
            );
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single" || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((e) => ({
            ...e,
            extensions: { ...e.extensions, requestId: contextValue.requestId },
          }));
        },
      };
    },
  };
}

function queryText(request: FastifyRequest): string | undefined {
  const fromBody = (request.body as { query?: unknown } | undefined)?.query;
  const fromUrl = (request.query as { query?: unknown } | undefined)?.query;
  const q = fromBody ?? fromUrl;
  return typeof q === "string" ? q : undefined;
}

/** True when the request carries a valid operator token; any other credential, or none, is not. */
async function isOperatorRequest(services: Services, authorization: string | undefined): Promise<boolean> {
  if (authorization === undefined) return false;
  try {
    return (await resolvePrincipal(services, authorization)).kind === "operator";
  } catch (error) {
    if (error instanceof AppError) return false;
    throw error;
  }
}

export async function createServer(
  services: Services,
  log: Logger = createLogger(services.config),
  options: { /** The portal's manifest of persisted documents (default: dist/portal-documents.json). */ portalDocuments?: string } = {},
): Promise<FastifyInstance> {
  const { config } = services;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: () => `req_${randomBytes(10).toString("hex")}`,
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT,
    // request.ip is the client a trusted proxy names in X-Forwarded-For; without one, the peer.
    trustProxy: config.TRUST_PROXY.length > 0 ? [...config.TRUST_PROXY] : false,
  });
  const principals = new WeakMap<FastifyRequest, Principal>();

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    const isGraphQL = request.url.startsWith("/graphql");
    const send = (status: number, code: "VALIDATION" | "INTERNAL", message: string) =>
      reply.status(status).send(isGraphQL ? graphQLErrorBody(code, message, request.id) : { code, message, requestId: request.id });
    if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return send(413, "VALIDATION", `The request body is larger than ${BODY_LIMIT} bytes.`);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify words its own refusals (FST_*) for the caller; another library's text stays in the log.
      const framework = typeof error.code === "string" && error.code.startsWith("FST_");
      if (!framework) request.log.info({ err: error }, "request refused by a library");
      return send(error.statusCode, "VALIDATION", framework ? error.message : UNREADABLE_MESSAGE);
    }
    request.log.error({ err: error }, "unexpected error");
    return send(500, "INTERNAL", INTERNAL_MESSAGE);
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send({ code: "NOT_FOUND", message: `There is no ${request.method} ${request.url.split("?")[0]}.`, requestId: request.id });
  });

  app.get("/healthz", async () => ({ status: "ok" }));

  const readiness = sharedReadiness(services.readiness, (name, err) => app.log.warn({ err, check: name }, "readiness check failed"));
  app.get("/readyz", async (request, reply) => {
    const result = await readiness();
    const detailed =
      (config.READYZ_DETAIL === "loopback" && isLoopbackPeer(request.socket.remoteAddress)) ||
      (await isOperatorRequest(services, request.headers.authorization));
    return reply.status(result.ready ? 200 : 503).send(readinessAnswer(result, detailed));
  });

  app.get("/.well-known/jwks.json", async (_request, reply) => {
    reply.header("cache-control", "public, max-age=60");
    return services.tokens.jwks();
  });

  const schema = await buildApiSchema();
  // One per process: the shared buckets' latest answers, so most charges need not be awaited.
  const throttle = createCostThrottle(services.db, {
    changes: services.changes,
    onError: (err) => app.log.warn({ err }, "could not charge GraphQL cost"),
  });
  // Shared by every API process (Postgres), so a hash registered through one is known to all; the
  // portal's own documents are known by hash from its build's manifest.
  const portalDocuments = await loadPortalDocuments(options.portalDocuments);
  app.log.info({ documents: portalDocuments.size }, "portal documents loaded");
  const persistedQueries = createPersistedQueryStore(services.db, {
    maxBytes: config.GRAPHQL_MAX_QUERY_BYTES,
    known: portalDocuments,
  });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError: formatGraphQLError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    // Parsing stops at the first token over the limit; depth, aliases, directives, cost and the
    // rate limit are checked once the operation is known, before any resolver runs.
    parseOptions: { maxTokens: config.GRAPHQL_MAX_TOKENS },
    persistedQueries: { cache: persistedQueries },
    // No HTTP caching of answers (they are per caller), so no per-field cache-control bookkeeping.
    plugins: [
      fastifyApolloDrainPlugin(app),
      errorLogPlugin(app.log),
      ApolloServerPluginCacheControlDisabled(),
      textInputPlugin(),
      limitsPlugin(throttle, services.db, config, app.log),
      persistedQueryPlugin(persistedQueries),
    ],
  });
  await apollo.start();

  await registerIngestRoutes(app, services, config.INGEST_MAX_BODY_BYTES);
  // InfluxQL reads on /query spend the caller's GraphQL bucket: one budget per caller for both APIs.
  const chargeQuery: QueryCharge = async (principal, cost) => {
    if (config.GRAPHQL_LIMITS === "off") return;
    const rates = { perMinute: config.GRAPHQL_COST_PER_MINUTE, anonymousPerMinute: config.GRAPHQL_ANONYMOUS_COST_PER_MINUTE };
    await throttle.charge(bucketOf(principal, "", rates), cost);
  };
  await registerQueryRoute(app, { ...services, chargeQuery }, { maxBodyBytes: BODY_LIMIT, maxRows: config.QUERY_MAX_ROWS });
  registerExportRoute(app, services);
  await registerStripeWebhookRoute(app, services);
  registerBillingExportRoutes(app, services, (authorization) => resolvePrincipal(services, authorization));
  attachSubscriptions(app, schema, services, throttle);

  const graphqlHandler = fastifyApolloHandler(apollo, {
    context: async (request) => ({
      requestId: request.id,
      clientAddress: request.ip,
      principal: principals.get(request) ?? { kind: "anonymous" },
      services,
    }),
  });
  app.route({
    url: "/graphql",
    method: ["GET", "POST", "OPTIONS"],
    preHandler: async (request, reply) => {
      const query = queryText(request);
      if (query !== undefined && Buffer.byteLength(query, "utf8") > config.GRAPHQL_MAX_QUERY_BYTES) {
        return reply
          .status(413)
          .send(graphQLErrorBody("VALIDATION", `The query is longer than ${config.GRAPHQL_MAX_QUERY_BYTES} bytes.`, request.id));
      }
      try {
        principals.set(request, await resolvePrincipal(services, request.headers.authorization));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return reply.status(httpStatus(error.code)).send(graphQLErrorBody(error.code, error.message, request.id));
      }
    },
    // The integration types its route with its own generics; at run time it is a plain handler.
    handler: graphqlHandler as unknown as RouteHandlerMethod,
  });
  // The web portal on the same origin as /graphql: no CORS, one Content-Security-Policy.
  await registerPortal(app);

  return app;
}
