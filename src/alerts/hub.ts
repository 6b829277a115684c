import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import { ALERT_CHANNEL } from "./raise.js";

/**
 * New alerts of every process (workers raise most of them) reach this API process through
 * Postgres LISTEN/NOTIFY; the hub hands each alert id to the subscribers of its tenant only.
 */
export function createAlertHub(db: Db, log: Logger) {
  const subscribers = new Map<string, Set<(alertId: string) => void>>();
  let listening: Promise<{ unlisten: () => Promise<void> }> | undefined;

  const listen = () => {
    listening ??= db.sql.listen(ALERT_CHANNEL, (payload) => {
      let message: { tenantId?: unknown; alertId?: unknown };
      try {
        message = JSON.parse(payload) as typeof message;
      } catch {
        log.warn({ payload: payload.slice(0, 200) }, "unreadable alert notification");
        return;
      }
      if (typeof message.tenantId !== "string" || typeof message.alertId !== "string") return;
      for (const deliver of subscribers.get(message.tenantId) ?? []) deliver(message.alertId);
    });
    return listening;
  };

  return {
    /** Alert ids of the tenant from now on; ends when the consumer returns. */
    subscribe(tenantId: string): AsyncIterableIterator<string> {
      const queue: string[] = [];
      let pending: ((result: IteratorResult<string>) => void) | undefined;
      let done = false;
      const deliver = (alertId: string) => {
        if (!pending) {
          queue.push(alertId);
          return;
        }
        const resolve = pending;
        pending = undefined;
        resolve({ value: alertId, done: false });
      };
      let set = subscribers.get(tenantId);
      if (!set) {
        set = new Set();
        subscribers.set(tenantId, set);
      }
      set.add(deliver);
      const finish = () => {
        done = true;
        set.delete(deliver);
        if (set.size === 0 && subscribers.get(tenantId) === set) subscribers.delete(tenantId);
        pending?.({ value: undefined, done: true });
        pending = undefined;
      };
      const ready = listen();
      return {
        async next(): Promise<IteratorResult<string>> {
          await ready;
          if (done) return { value: undefined, done: true };
          const queued = queue.shift();
          if (queued !== undefined) return { value: queued, done: false };
          return new Promise((resolve) => {
            pending = resolve;
          });
        },
        async return(): Promise<IteratorResult<string>> {
          finish();
          return { value: undefined, done: true };
        },
        async throw(error: unknown): Promise<IteratorResult<string>> {
          finish();
          throw error;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
    async close(): Promise<void> {
      if (listening) await (await listening).unlisten();
    },
  };
}

export type AlertHub = ReturnType<typeof createAlertHub>;
