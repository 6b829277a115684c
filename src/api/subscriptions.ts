import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
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
 * connection (4403), a missing scope fails the subscription with FORBIDDEN.
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
  const server = useServer<{ authorization?: unknown }>(
    {
      schema,
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        try {
          principals.set(ctx.extra.socket, await resolvePrincipal(services, typeof authorization === "string" ? authorization : undefined));
          return true;
        } catch (error) {
          if (error instanceof AppError) return false;
          throw error;
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
        return errors.map((e) => withRequestId(formatGraphQLError(e.toJSON(), e), requestId));
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
