import { useEffect, useRef, useState } from "react";
import { graphql } from "../../../gql";
import type { PortalAlertChangedSubscription, PortalAlertRaisedSubscription } from "../../../gql/graphql";
import { createSubscriptionClient } from "../../../lib/subscriptions";
import type { AlertRow } from "./alerts";

export const AlertRaisedDocument = graphql(`
  subscription PortalAlertRaised {
    alertRaised {
      ...AlertRow
    }
  }
`);

export const AlertChangedDocument = graphql(`
  subscription PortalAlertChanged {
    alertChanged {
      ...AlertRow
    }
  }
`);

/** connecting → live; reconnecting after a lost connection; offline once the retries ran out or the API refused. */
export type LiveState = "connecting" | "live" | "reconnecting" | "offline";

export interface LiveHandlers {
  /** A new alert of the tenant. */
  onAlert(alert: AlertRow): void;
  /** An alert of the tenant acknowledged (by anyone) or resolved, as it is now. */
  onChanged(alert: AlertRow): void;
  /** The subscription (re)connected: what was raised while it was not listening is only in a fresh list. */
  onConnected(): Promise<unknown>;
}

/**
 * New alerts of the tenant as they are raised (`alertRaised` over graphql-ws), and alerts as they
 * are acknowledged or resolved (`alertChanged`, on the same socket), for as long as the component
 * is shown. `token` keys the connection: a new sign-in opens a new one. `attempt` starts over.
 */
export function useLiveAlerts(token: string, attempt: number, handlers: LiveHandlers): { state: LiveState; error: string | undefined } {
  const [state, setState] = useState<LiveState>("connecting");
  const [error, setError] = useState<string>();
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    if (token === "" || attempt < 0) return;
    setState("connecting");
    setError(undefined);
    const client = createSubscriptionClient();
    let disposed = false;
    const offConnected = client.on("connected", () => {
      void latest.current.onConnected().finally(() => {
        if (!disposed) setState("live");
      });
    });
    const offClosed = client.on("closed", () => {
      if (!disposed) setState("reconnecting");
    });
    const ended = {
      error: (reason: unknown) => {
        if (disposed) return;
        setState("offline");
        const first = Array.isArray(reason) ? (reason[0] as { message?: unknown } | undefined) : undefined;
        setError(typeof first?.message === "string" ? first.message : "The live connection was lost.");
      },
      complete: () => {
        if (!disposed) setState("offline");
      },
    };
    const unsubscribeRaised = client.subscribe<PortalAlertRaisedSubscription>(
      { query: AlertRaisedDocument.toString() },
      {
        next: (result) => {
          if (result.data) latest.current.onAlert(result.data.alertRaised);
          const first = result.errors?.[0];
          if (first) setError(first.message);
        },
        ...ended,
      },
    );
    const unsubscribeChanged = client.subscribe<PortalAlertChangedSubscription>(
      { query: AlertChangedDocument.toString() },
      {
        next: (result) => {
          if (result.data) latest.current.onChanged(result.data.alertChanged);
          const first = result.errors?.[0];
          if (first) setError(first.message);
        },
        ...ended,
      },
    );
    return () => {
      disposed = true;
      offConnected();
      offClosed();
      unsubscribeRaised();
      unsubscribeChanged();
      void client.dispose();
    };
  }, [token, attempt]);

  return { state, error };
}
