import type { GraphiQLProps } from "graphiql";

type Fetcher = GraphiQLProps["fetcher"];

/**
 * Operations go to this server's /graphql as JSON POSTs. The token field, when filled, sets the
 * Authorization header; otherwise the headers editor's own (if any) is sent as written.
 */
export function createFetcher(token: () => string): Fetcher {
  return async (params, options) => {
    const headers: Record<string, string> = { ...(options?.headers as Record<string, string> | undefined) };
    const current = token().trim();
    if (current !== "") headers.authorization = `Bearer ${current.replace(/^Bearer\s+/i, "")}`;
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(params),
    });
    return response.json();
  };
}
