import { type Client, createClient } from "graphql-ws";
import { endSession, getSession } from "./session";

/**
 * The close codes that mean the token no longer works: 4401 (signed out, password changed, token
 * expired) and 4403 (the member was removed). Like an UNAUTHENTICATED answer, they end the session.
 */
const SESSION_OVER = new Set([4401, 4403]);

const closeCode = (event: unknown): number | undefined =>
  typeof event === "object" && event !== null && "code" in event && typeof event.code === "number" ? event.code : undefined;

/**
 * A graphql-ws client on this origin's /graphql, sending the member's current token when it
 * connects. A lost connection is retried (graphql-ws backs off); one the server closed because the
 * session ended is not, and ends the session here too, which sends the person to sign in again.
 */
export function createSubscriptionClient(): Client {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return createClient({
    url: `${scheme}//${window.location.host}/graphql`,
    lazy: true,
    retryAttempts: 10,
    shouldRetry: (event) => !SESSION_OVER.has(closeCode(event) ?? 0),
    connectionParams: () => {
      const session = getSession();
      return session ? { authorization: `Bearer ${session.token}` } : {};
    },
    on: {
      closed: (event) => {
        if (SESSION_OVER.has(closeCode(event) ?? 0)) endSession("expired");
      },
    },
  });
}
