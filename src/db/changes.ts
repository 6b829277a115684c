import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import type { Db, Tx } from "./client.js";

/**
 * Changes every API process must see at once, announced over Postgres NOTIFY on one channel.
 * A change announced inside a transaction reaches the listeners when it commits, and not at all
 * when it rolls back, so a cache is never cleared for a change that did not happen.
 */
export const CHANGE_CHANNEL = "pdm_changes";

export type Change =
  /** A member was removed, its role changed, or its sessions were ended. */
  | { readonly kind: "member"; readonly tenantId: string; readonly userId: string }
  /** The tenant's billing status, plan, quotas or retention changed. */
  | { readonly kind: "tenant"; readonly tenantId: string }
  /** A device's assets or tokens changed (all the tenant's devices when `deviceId` is absent). */
  | { readonly kind: "device"; readonly tenantId: string; readonly deviceId?: string }
  /** A plan's limits changed: every tenant on it. */
  | { readonly kind: "plan"; readonly planId: string }
  /** An API key was revoked or its scopes changed. */
  | { readonly kind: "api-key"; readonly tenantId: string; readonly keyId: string }
  /** Signing keys were added or retired. */
  | { readonly kind: "signing-keys" };

const KINDS = new Set<Change["kind"]>(["member", "tenant", "device", "plan", "api-key", "signing-keys"]);

/** Announces `change` when `tx` commits. */
export async function announce(tx: Tx, change: Change): Promise<void> {
  await tx.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(change)})`);
}

/** Announces `change` at once, outside any transaction (provisioning scripts, owner connections). */
export async function announceNow(db: Db, change: Change): Promise<void> {
  await db.sql`select pg_notify(${CHANGE_CHANNEL}, ${JSON.stringify(change)})`;
}

function parseChange(payload: string): Change | undefined {
  try {
    const value = JSON.parse(payload) as { kind?: unknown };
    return typeof value === "object" && value !== null && KINDS.has(value.kind as Change["kind"]) ? (value as Change) : undefined;
  } catch {
    return undefined;
  }
}

export interface ChangeFeed {
  /** Calls `handler` for every change; `undefined` means "anything may have changed" (the feed reconnected). */
  subscribe(handler: (change: Change | undefined) => void): () => void;
  close(): Promise<void>;
}

/**
 * One LISTEN per process on CHANGE_CHANNEL. postgres.js reconnects the listening connection by
 * itself; changes announced while it was down are lost, so every reconnect tells the handlers
 * that anything may have changed, and they start over (clear their caches).
 */
export function createChangeFeed(db: Db, log: Logger): ChangeFeed {
  const handlers = new Set<(change: Change | undefined) => void>();
  let listens = 0;
  let restarting = false;
  let again = false;
  const emit = (change: Change | undefined) => {
    for (const handler of handlers) {
      try {
        handler(change);
      } catch (error) {
        log.error({ err: error }, "a change handler failed");
      }
    }
  };
  const started = db.sql.listen(
    CHANGE_CHANNEL,
    (payload) => {
      const change = parseChange(payload);
      if (change) emit(change);
      else log.warn({ payload: payload.slice(0, 200) }, "unreadable change notification");
    },
    () => {
      listens++;
      // postgres.js calls this once per try while it reconnects: start over at once, and once
      // more at the end of a burst of such calls, not once per call.
      if (listens === 1) return;
      if (restarting) {
        again = true;
        return;
      }
      restarting = true;
      log.warn({ channel: CHANGE_CHANNEL }, "change feed reconnected: caches start over");
      emit(undefined);
      setTimeout(() => {
        restarting = false;
        if (again) emit(undefined);
        again = false;
      }, 1_000).unref();
    },
  );
  started.catch((error: unknown) => log.error({ err: error }, "the change feed could not listen"));
  return {
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
      await (await started.catch(() => undefined))?.unlisten();
    },
  };
}
