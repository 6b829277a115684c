import { print } from "graphql";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import type { Api, GqlResult } from "./harness.js";

/**
 * Opens a graphql-ws subscription and answers like a GraphQL call: its first error (a refused
 * connection counts as UNAUTHENTICATED), or no error with empty data when nothing went wrong
 * within `quietMs`.
 */
export async function subscribeOnce(
  api: Api,
  document: Parameters<typeof print>[0],
  token: string | undefined,
  quietMs = 800,
): Promise<GqlResult<Record<string, never>>> {
  const client = createClient({
    url: `${api.url.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
  try {
    return await new Promise<GqlResult<Record<string, never>>>((resolve) => {
      const done = (result: GqlResult<Record<string, never>>) => resolve(result);
      const timer = setTimeout(() => done({ status: 200, data: {}, errors: undefined, requestId: null }), quietMs);
      client.subscribe(
        { query: print(document) },
        {
          next: (value) => {
            if (!value.errors) return;
            clearTimeout(timer);
            done({ status: 200, data: null, errors: value.errors as GqlResult<never>["errors"], requestId: null });
          },
          error: (error) => {
            clearTimeout(timer);
            if (Array.isArray(error)) {
              done({ status: 200, data: null, errors: error as GqlResult<never>["errors"], requestId: null });
              return;
            }
            const code = (error as { code?: number }).code;
            done({
              status: 401,
              data: null,
              errors: [
                {
                  message: `The connection was refused (close code ${code}).`,
                  extensions: { code: "UNAUTHENTICATED", requestId: "req_connection" },
                },
              ],
              requestId: null,
            });
          },
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
}
