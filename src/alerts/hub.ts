import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, gte, or } from "drizzle-orm";
import type { Logger } from "pino";
import { idFloor, timeOfId } from "../core/ids.js";
import { type Db, withTenant } from "../db/client.js";
import { ALERT_CHANNEL } from "./raise.js";
import { alerts } from "./schema.js";

/** How far before the last sign of life a catch-up looks: longer than any transaction that raises alerts. */
const CATCH_UP_WINDOW_MS = 10 * 60_000;
/** The most alerts one tenant gets from one catch-up (the oldest first). */
const CATCH_UP_LIMIT = 1_000;
/** Waits between catch-up attempts while Postgres does not answer: doubling up to the last. */
const CATCH_UP_RETRY_MS = [1_000, 2_000, 5_000, 15_000, 30_000] as const;

/**
 * What a subscriber follows: `raised` — new alerts (the payload names the alert); `changed` — an
 * alert acknowledged or resolved (the payload also names the new status, `changed`).
 */
export type AlertTopic = "raised" | "changed";

interface Subscriber {
  /** The lowest alert id this subscriber may get from a catch-up: nothing raised before it subscribed. */
  readonly since: string;
  deliver(alertId: string): void;
}

interface TenantFeed {
  readonly tenantId: string;
  readonly topic: AlertTopic;
  readonly subscribers: Set<Subscriber>;
  /**
   * What was handed out already (alert id, or `id:status` for a change → its time), in the order
   * handed out: a catch-up skips them.
   */
  readonly seen: Map<string, number>;
}

const feedKey = (topic: AlertTopic, tenantId: string) => `${topic}:${tenantId}`;

/**
 * New alerts of every process (workers raise most of them) reach this API process through
 * Postgres LISTEN/NOTIFY; the hub hands each alert id to the subscribers of its tenant only. So do
 * acknowledgements and resolutions, to the subscribers of the tenant's changes.
 *
 * The hub listens on the pool's one listening connection, the same one the change feed uses, so a
 * membership change committed before an alert reaches this process before that alert.
 *
 * postgres.js reconnects a dropped listening connection by itself and calls `onlisten` again, but
 * what was raised while it was down is lost. So on every reconnect the hub loads, per subscribed
 * tenant and under that tenant's RLS, the alerts raised (or acknowledged or resolved) since shortly
 * before it last heard from Postgres (at most CATCH_UP_LIMIT), and hands out those it has not
 * handed out already.
 */
export function createAlertHub(db: Db, log: Logger) {
  const tenants = new Map<string, TenantFeed>();
  const probes = new Map<string, () => void>();
  let listens = 0;
  let reconnects = 0;
  let caughtUp = 0;
  /** When the listening connection last showed it was up (a notification, or the LISTEN itself). */
  let lastHeard = Date.now();
  /** Set while a catch-up is owed: the time to look back from. */
  let owed: number | undefined;
  let catchingUp: Promise<void> | undefined;
  let closed = false;
  /** Ends a wait between catch-up attempts (on close). */
  let wake: (() => void) | undefined;

  /** `key` is what makes a hand-out once only: the alert id for new alerts, `id:status` for changes. */
  const hand = (feed: TenantFeed, alertId: string, key: string, time: number, onlySince: boolean): boolean => {
    if (feed.seen.has(key)) return false;
    feed.seen.set(key, time);
    for (const subscriber of feed.subscribers) if (!onlySince || alertId >= subscriber.since) subscriber.deliver(alertId);
    return true;
  };

  /** Forgets ids older than any catch-up (owed now, or after a drop from here on) could return. */
  const prune = (feed: TenantFeed) => {
    const oldest = Math.min(lastHeard, owed ?? lastHeard) - CATCH_UP_WINDOW_MS;
    for (const [id, time] of feed.seen) {
      if (time >= oldest) break;
      feed.seen.delete(id);
    }
  };

  const onNotify = (payload: string) => {
    if (closed) return;
    lastHeard = Date.now();
    let message: { tenantId?: unknown; alertId?: unknown; changed?: unknown; probe?: unknown };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      log.warn({ payload: payload.slice(0, 200) }, "unreadable alert notification");
      return;
    }
    if (typeof message.probe === "string") {
      probes.get(message.probe)?.();
      return;
    }
    if (typeof message.tenantId !== "string" || typeof message.alertId !== "string") return;
    const changed = typeof message.changed === "string" ? message.changed : undefined;
    const feed = tenants.get(feedKey(changed ? "changed" : "raised", message.tenantId));
    if (!feed) return;
    if (changed) hand(feed, message.alertId, `${message.alertId}:${changed}`, Date.now(), false);
    else hand(feed, message.alertId, message.alertId, timeOfId(message.alertId) ?? Date.now(), false);
    prune(feed);
  };

  /** The changes (acknowledged, resolved) of the tenant since shortly before `from`, oldest first. */
  async function catchUpChanges(feed: TenantFeed, from: number): Promise<{ handed: number; full: boolean }> {
    const after = new Date(from - CATCH_UP_WINDOW_MS);
    const rows = await withTenant(db.db, { tenantId: feed.tenantId }, (tx) =>
      tx
        .select({ id: alerts.id, status: alerts.status, acknowledgedAt: alerts.acknowledgedAt, resolvedAt: alerts.resolvedAt })
        .from(alerts)
        .where(and(eq(alerts.tenantId, feed.tenantId), or(gte(alerts.acknowledgedAt, after), gte(alerts.resolvedAt, after))))
        .orderBy(asc(alerts.id))
        .limit(CATCH_UP_LIMIT),
    );
    let handed = 0;
    if (tenants.get(feedKey(feed.topic, feed.tenantId)) !== feed) return { handed, full: false };
    for (const row of rows) {
      const time = (row.resolvedAt ?? row.acknowledgedAt)?.getTime() ?? Date.now();
      // A change may concern an alert raised long before the subscriber came: no lower bound on the id.
      if (hand(feed, row.id, `${row.id}:${row.status}`, time, false)) handed++;
    }
    prune(feed);
    return { handed, full: rows.length === CATCH_UP_LIMIT };
  }

  async function catchUpTenant(feed: TenantFeed, from: number): Promise<{ handed: number; full: boolean }> {
    if (feed.topic === "changed") return catchUpChanges(feed, from);
    const tenantId = feed.tenantId;
    let since: string | undefined;
    for (const subscriber of feed.subscribers) if (since === undefined || subscriber.since < since) since = subscriber.since;
    if (since === undefined) return { handed: 0, full: false };
    const floor = idFloor("alert", from - CATCH_UP_WINDOW_MS);
    const after = since > floor ? since : floor;
    const rows = await withTenant(db.db, { tenantId }, (tx) =>
      tx
        .select({ id: alerts.id })
        .from(alerts)
        .where(and(eq(alerts.tenantId, tenantId), gt(alerts.id, after)))
        .orderBy(asc(alerts.id))
        .limit(CATCH_UP_LIMIT),
    );
    let handed = 0;
    // The feed may have lost its last subscriber meanwhile; then nobody is owed anything.
    if (tenants.get(feedKey(feed.topic, tenantId)) !== feed) return { handed, full: false };
    for (const row of rows) if (hand(feed, row.id, row.id, timeOfId(row.id) ?? Date.now(), true)) handed++;
    prune(feed);
    return { handed, full: rows.length === CATCH_UP_LIMIT };
  }

  async function catchUp(): Promise<void> {
    let handed = 0;
    const truncated = new Set<string>();
    for (let attempt = 0; owed !== undefined && !closed; attempt++) {
      const from = owed;
      const round = listens;
      try {
        for (const feed of [...tenants.values()]) {
          const result = await catchUpTenant(feed, from);
          handed += result.handed;
          if (result.full) truncated.add(feed.tenantId);
        }
        // The listening connection came back again while this ran: go again, from the earliest time owed.
        if (listens === round) owed = undefined;
        attempt = -1;
      } catch (error) {
        const wait = CATCH_UP_RETRY_MS[Math.min(attempt, CATCH_UP_RETRY_MS.length - 1)] ?? 30_000;
        log.error({ err: error, retryInMs: wait }, "alert feed catch-up failed; trying again");
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
    if (closed) return;
    caughtUp += handed;
    log.info(
      { channel: ALERT_CHANNEL, feeds: tenants.size, alerts: handed, reconnects, caughtUp },
      "alert feed caught up after a reconnect",
    );
    if (truncated.size > 0)
      log.warn(
        { tenants: [...truncated], limit: CATCH_UP_LIMIT },
        "alert feed catch-up stopped at its limit: older alerts were not pushed",
      );
  }

  // postgres.js may call this several times for one reconnect (once per channel of the shared
  // listening connection, per failed attempt); one catch-up serves them all.
  const onListen = () => {
    listens++;
    if (listens > 1 && !closed) {
      if (owed === undefined) {
        reconnects++;
        // Alerts committed after the last notification heard may be lost; look back from there.
        owed = lastHeard;
        log.warn(
          { channel: ALERT_CHANNEL, lastHeard: new Date(lastHeard).toISOString() },
          "alert feed reconnected after its connection dropped: catching up",
        );
      }
      catchingUp ??= catchUp().finally(() => {
        catchingUp = undefined;
      });
    }
    lastHeard = Date.now();
  };

  const started = db.sql.listen(ALERT_CHANNEL, onNotify, onListen);
  started.catch((error: unknown) => log.error({ err: error }, "the alert feed could not listen"));

  return {
    /** Alert ids of the tenant from now on (new ones, or changed ones); ends when the consumer returns. */
    subscribe(tenantId: string, topic: AlertTopic = "raised"): AsyncIterableIterator<string> {
      const queue: string[] = [];
      let pending: ((result: IteratorResult<string>) => void) | undefined;
      let done = false;
      const subscriber: Subscriber = {
        since: idFloor("alert", Date.now()),
        deliver(alertId) {
          if (!pending) {
            queue.push(alertId);
            return;
          }
          const resolve = pending;
          pending = undefined;
          resolve({ value: alertId, done: false });
        },
      };
      const key = feedKey(topic, tenantId);
      let feed = tenants.get(key);
      if (!feed) {
        feed = { tenantId, topic, subscribers: new Set(), seen: new Map() };
        tenants.set(key, feed);
      }
      const own = feed;
      own.subscribers.add(subscriber);
      const finish = () => {
        done = true;
        own.subscribers.delete(subscriber);
        if (own.subscribers.size === 0 && tenants.get(key) === own) tenants.delete(key);
        pending?.({ value: undefined, done: true });
        pending = undefined;
      };
      return {
        async next(): Promise<IteratorResult<string>> {
          await started;
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

    /**
     * Sends a probe through Postgres on the alert channel and waits for it to come back on this
     * process's listening connection: proof that the LISTEN is in place now.
     */
    async probe(signal: AbortSignal): Promise<void> {
      if (listens === 0) throw new Error("the alert feed has not listened yet");
      if (owed !== undefined) throw new Error("the alert feed is catching up after a reconnect");
      const id = randomBytes(9).toString("base64url");
      const heard = new Promise<void>((resolve, reject) => {
        probes.set(id, resolve);
        signal.addEventListener("abort", () => reject(new Error("the probe did not come back")), { once: true });
      });
      heard.catch(() => undefined);
      try {
        await db.sql`select pg_notify(${ALERT_CHANNEL}, ${JSON.stringify({ probe: id })})`;
        await heard;
      } finally {
        probes.delete(id);
      }
    },

    async close(): Promise<void> {
      closed = true;
      owed = undefined;
      wake?.();
      await catchingUp;
      await (await started.catch(() => undefined))?.unlisten();
    },
  };
}

export type AlertHub = ReturnType<typeof createAlertHub>;
