import { type Client, createClient } from "graphql-ws";
import { getSession } from "./session";

/**
 * A graphql-ws client on this origin's /graphql, sending the member's current token when it
 * connects. For the live pages (alerts) to come.
 */
export function createSubscriptionClient(): Client {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return createClient({
    url: `${scheme}//${window.location.host}/graphql`,
    lazy: true,
    connectionParams: () => {
      const session = getSession();
      return session ? { authorization: `Bearer ${session.token}` } : {};
    },
  });
}
