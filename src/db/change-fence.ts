import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { Db } from "./client.js";

/** How long a fence may take before the feed counts as not keeping up. */
const FENCE_TIMEOUT_MS = 2_000;

export interface ChangeFence {
  /**
   * Resolves true once every change committed before the call has been handed to this process's
   * change handlers (so a cache cleared by them can be trusted), false when that cannot be
   * confirmed now (the listening connection is down or slow): the caller then reads Postgres.
   */
  sync(): Promise<boolean>;
  /** Resolves once the fence's LISTEN is in place (and so the change feed's, on the same connection). */
  ready(): Promise<void>;
  /** Grows whenever the feed was not keeping up and caught up again: caches started then start over. */
  readonly epoch: number;
  close(): Promise<void>;
}

/**
 * A NOTIFY is delivered to a listener when the announcing transaction commits, but it reaches a
 * process over its own connection, with no bound on when: a request that arrives on another copy
 * right after the commit can be faster than the announcement. The fence closes that gap. It
 * announces a number on a channel of this process only, on the same listening connection as the
 * change feed (postgres.js keeps every LISTEN of one client on one connection), and waits for it
 * to come back. Postgres hands a listener its notifications in commit order, so by the time the
 * number arrives, every change committed before the fence was sent has reached the handlers.
 *
 * One fence serves every request that arrived before it was sent: callers arriving while one is
 * on its way share the next. Its commit skips the WAL flush (nothing is stored).
 */
export function createChangeFence(db: Db, log: Logger): ChangeFence {
  const channel = `pdm_fence_${randomBytes(8).toString("hex")}`;
  const waiting = new Map<number, (delivered: boolean) => void>();
  let sent = 0;
  let behind = false;
  let epoch = 0;
  let closed = false;
  let inFlight: Promise<boolean> | undefined;
  let queued: Promise<boolean> | undefined;

  const listening = db.sql.listen(channel, (payload) => {
    const n = Number(payload);
    for (const [k, settle] of waiting) {
      if (k <= n) {
        waiting.delete(k);
        settle(true);
      }
    }
  });
  listening.catch((error: unknown) => log.error({ err: error }, "the change fence could not listen"));

  function round(): Promise<boolean> {
    const n = ++sent;
    const delivered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        waiting.delete(n);
        resolve(false);
      }, FENCE_TIMEOUT_MS);
      waiting.set(n, (ok) => {
        clearTimeout(timer);
        resolve(ok);
      });
    });
    // One statement, its own transaction; the setting lasts until its commit.
    db.sql`select set_config('synchronous_commit', 'off', true), pg_notify(${channel}, ${String(n)})`
      .then(() => undefined)
      .catch((error: unknown) => {
        log.warn({ err: error }, "the change fence could not be sent");
        waiting.get(n)?.(false);
        waiting.delete(n);
      });
    return delivered.then((ok) => {
      if (!ok && !behind) log.warn({ channel }, "the change feed is not keeping up: caches are bypassed until it is");
      if (ok && behind) {
        epoch += 1;
        log.info({ channel }, "the change feed caught up: caches start over");
      }
      behind = !ok;
      return ok;
    });
  }

  function start(): Promise<boolean> {
    const current = round().finally(() => {
      if (inFlight === current) inFlight = undefined;
    });
    inFlight = current;
    return current;
  }

  return {
    sync() {
      if (closed) return Promise.resolve(false);
      if (!inFlight) {
        const fence = start();
        // While the feed is behind, callers do not wait for it: they read Postgres.
        return behind ? Promise.resolve(false) : fence;
      }
      queued ??= inFlight.then(() => {
        queued = undefined;
        return start();
      });
      return behind ? Promise.resolve(false) : queued;
    },
    async ready() {
      await listening;
    },
    get epoch() {
      return epoch;
    },
    async close() {
      closed = true;
      for (const settle of waiting.values()) settle(false);
      waiting.clear();
      await (await listening.catch(() => undefined))?.unlisten();
    },
  };
}
