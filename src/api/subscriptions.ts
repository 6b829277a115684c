import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { resolvePrincipal } from "../auth/principal.js";
import type { Principal } from "../core/context.js";
import { AppError } from "../core/errors.js";
import { formatGraphQLError } from "./errors.js";
import type { RequestContext, Services } from "./services.js";

const withRequestId = (error: GraphQLFormattedError, requestId: string): GraphQLFormattedError => ({
  ...error,
  extensions: { ...error.extensions, requestId },
});

/**
 * GraphQL subscriptions over graphql-ws on the same /graphql path (WebSocket upgrade). The token
 * travels in the connection's `authorization` parameter ("Bearer …"); a bad token closes the
 * connection (4403), a missing scope fails the subscription with FORBIDDEN. Each new operation on
 * an open connection checks the token again, so a signed-out token starts nothing more.
 */
export function attachSubscriptions(app: FastifyInstance, schema: GraphQLSchema, services: Services): void {
  const wss = new WebSocketServer({ noServer: true });
  app.server.on("upgrade", (request, socket, head) => {
    if ((request.url ?? "").split("?")[0] !== "/graphql") {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit("connection", ws, request));
  });
  const principals = new WeakMap<object, Principal>();
  const authorizations = new WeakMap<object, string | undefined>();
  const server = useServer<{ authorization?: unknown }>(
    {
      schema,
      onConnect: async (ctx) => {
        const param = ctx.connectionParams?.authorization;
        const authorization = typeof param === "string" ? param : undefined;
        try {
          principals.set(ctx.extra.socket, await resolvePrincipal(services, authorization));
          authorizations.set(ctx.extra.socket, authorization);
          return true;
        } catch (error) {
          if (error instanceof AppError) return false;
          throw error;
        }
      },
      onSubscribe: async (ctx) => {
        try {
          principals.set(ctx.extra.socket, await resolvePrincipal(services, authorizations.get(ctx.extra.socket)));
          return undefined;
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // onError below gives it the error's code and a request id.
          return [new GraphQLError(error.message, { originalError: error })];
        }
      },
      context: (ctx): RequestContext => ({
        requestId: `req_${randomBytes(10).toString("hex")}`,
        clientAddress: ctx.extra.request.socket.remoteAddress ?? "unknown",
        principal: principals.get(ctx.extra.socket) ?? { kind: "anonymous" },
        services,
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
    await server.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}
