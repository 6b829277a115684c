import type { FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../config.js";
import type { PortalPages } from "./static.js";

/** A GET /graphql that names no operation: no `query`, and no `extensions` (a persisted query's hash). */
function namesNoOperation(request: FastifyRequest): boolean {
  const params = request.query as Record<string, unknown> | undefined;
  return params?.query === undefined && params?.extensions === undefined;
}

function acceptsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").includes("text/html");
}

/** Why a GET /graphql without an operation gets no page, in the GraphQL error shape's words. */
function noOperationMessage(config: Pick<Config, "GRAPHQL_IDE">, built: boolean): string {
  const ask = "GET /graphql needs a `query` parameter; or POST the operation as JSON.";
  if (config.GRAPHQL_IDE === "off") return `${ask} The GraphQL IDE is off on this server (GRAPHQL_IDE=off).`;
  if (!built) return `${ask} The GraphQL IDE is not built on this server: run \`npm run build\`.`;
  return `${ask} Open /graphql in a browser for the GraphQL IDE.`;
}

/**
 * GET /graphql without an operation: a browser (it accepts HTML) gets the GraphQL IDE when it is
 * on and built; everything else, and every browser when it is off, a 400 saying why. Undefined when
 * the request names an operation, which then goes to GraphQL as usual.
 */
export function answerWithoutOperation(
  config: Pick<Config, "GRAPHQL_IDE">,
  pages: PortalPages,
  request: FastifyRequest,
  reply: FastifyReply,
): { page: Promise<FastifyReply> } | { refusal: string } | undefined {
  if (request.method !== "GET" || !namesNoOperation(request)) return undefined;
  if (config.GRAPHQL_IDE === "on" && pages.ide && acceptsHtml(request)) return { page: pages.ide(request, reply) };
  return { refusal: noOperationMessage(config, pages.ide !== undefined) };
}
