import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema, getOperationAST, parse, validate } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { resolvePrincipal } from "../auth/index.js";
import { AppError } from "../core/errors.js";
import { formatGraphQLError, UNREADABLE_MESSAGE } from "./errors.js";
import type { CostThrottle } from "./limits/cost-throttle.js";
import { guardOperation, limitError } from "./limits/guard.js";
import type { RequestContext, Services } from "./services.js";
import { createSubscriptionAccess } from "./subscription-access.js";
import { checkTextInput } from "./text-input.js";

const withRequestId = (error: GraphQLFormattedError, requestId: string): GraphQLFormattedError => ({
  ...error,
  extensions: { ...error.extensions, requestId },
});

/**
 * GraphQL subscriptions over graphql-ws on the same /graphql path (WebSocket upgrade). The token
 * travels in the connection's `authorization` parameter ("Bearer …"); a bad token closes the
 * connection (4403), a missing scope fails the subscription with FORBIDDEN. Each new operation on
 * an open connection checks the token again, so a signed-out token starts nothing more.
 *
 * Running subscriptions follow their subscriber (src/api/subscription-access.ts): a change that
 * may take access away (a removal, a new role, a sign-out, a revoked key) re-checks the connection
 * from Postgres and closes it (4403 or 4401, with the reason) or fails the operations it may no
 * longer run; a token's connection closes when the token expires (4401) unless the client sends a
 * newer token in a ping: `{"type":"ping","payload":{"authorization":"Bearer <token>"}}`.
 */
export function attachSubscriptions(app: FastifyInstance, schema: GraphQLSchema, services: Services, throttle: CostThrottle): void {
  const wss = new WebSocketServer({ noServer: true });
  app.server.on("upgrade", (request, socket, head) => {
    if ((request.url ?? "").split("?")[0] !== "/graphql") {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });
  const access = createSubscriptionAccess({ ...services, log: app.log });
  const server = useServer<{ authorization?: unknown }>(
    {
      schema,
      onConnect: async (ctx) => {
        const param = ctx.connectionParams?.authorization;
        const authorization = typeof param === "string" ? param : undefined;
        try {
          access.open(ctx.extra.socket, authorization, await resolvePrincipal(services, authorization));
          return true;
        } catch (error) {
          if (error instanceof AppError) return false;
          throw error;
        }
      },
      // A ping may carry a newer token for the connection ({authorization: "Bearer …"}); the pong follows.
      onPing: async (ctx, payload) => {
        const renewal = payload?.authorization;
        if (typeof renewal === "string") await access.renew(ctx.extra.socket, renewal);
      },
      onClose: (ctx) => access.forget(ctx.extra.socket),
      // Every operation on the connection checks the token again (a signed-out session stops at
      // once), then the same limits as over HTTP: tokens while parsing, the text of every input,
      // then depth, aliases, directives, cost and the caller's rate limit, before it starts.
      onSubscribe: async (ctx, _id, payload) => {
        try {
          await access.refresh(ctx.extra.socket);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // onError below gives it the error's code and a request id.
          return [new GraphQLError(error.message, { originalError: error })];
        }
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query, { maxTokens: services.config.GRAPHQL_MAX_TOKENS });
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          if (error instanceof RangeError) return [new GraphQLError(UNREADABLE_MESSAGE, { extensions: { code: "BAD_USER_INPUT" } })];
          throw error;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return [...errors];
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError("The document has no operation of that name (or several without operationName).")];
        const textError = checkTextInput(document, payload.variables ?? {});
        if (textError) return [textError];
        try {
          await guardOperation(throttle, services.config, {
            schema,
            document,
            operation,
            variables: payload.variables ?? {},
            principal: access.principal(ctx.extra.socket),
            clientAddress: ctx.extra.request.socket.remoteAddress ?? "unknown",
          });
        } catch (error) {
          if (error instanceof AppError) return [limitError(error)];
          throw error;
        }
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: (ctx): RequestContext => ({
        requestId: `req_${randomBytes(10).toString("hex")}`,
        clientAddress: ctx.extra.request.socket.remoteAddress ?? "unknown",
        principal: access.principal(ctx.extra.socket),
        services,
        access: access.of(ctx.extra.socket),
      }),
      onNext: (_ctx, _id, _payload, args, result) => {
        if (!result.errors) return undefined;
        const requestId = (args.contextValue as RequestContext).requestId;
        return { ...result, errors: result.errors.map((e) => withRequestId(formatGraphQLError(e.toJSON(), e), requestId)) };
      },
      onError: (_ctx, _id, _payload, errors) => {
        const requestId = `req_${randomBytes(10).toString("hex")}`;
        // A refusal from onSubscribe carries the AppError itself (it has no resolver path).
        const cause = (e: GraphQLError) => (e.originalError instanceof AppError ? e.originalError : e);
        return errors.map((e) => withRequestId(formatGraphQLError(e.toJSON(), cause(e)), requestId));
      },
    },
    wss,
  );
  // Before the HTTP server closes: it waits for every connection, and subscriptions stay open.
  app.addHook("preClose", async () => {
    access.stop();
    await server.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}
