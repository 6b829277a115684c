import type { Connection } from "@temporalio/client";
import mqtt from "mqtt";
import type Stripe from "stripe";
import type { Db } from "../db/client.js";
import type { TelemetryStore } from "../telemetry/index.js";

/** One dependency the API needs to serve: /readyz runs every check. */
export interface ReadinessCheck {
  readonly name: string;
  check(signal: AbortSignal): Promise<void>;
  /** Local and cheap (no backend): run on every probe instead of sharing a recent result. */
  readonly live?: boolean;
}

export function postgresCheck(name: string, db: Db): ReadinessCheck {
  return {
    name,
    async check() {
      await db.sql`select 1`;
    },
  };
}

/**
 * The alert feed: a probe sent through Postgres comes back on this process's listening
 * connection. Not ready while that connection is down, or while it catches up after a drop.
 */
export function alertFeedCheck(feed: { probe(signal: AbortSignal): Promise<void> }): ReadinessCheck {
  return { name: "alert_feed", check: (signal) => feed.probe(signal) };
}

export function influxCheck(store: TelemetryStore): ReadinessCheck {
  return { name: "influxdb", check: (signal) => store.ping(signal) };
}

export function mqttCheck(url: string, username: string, password: string): ReadinessCheck {
  return {
    name: "mqtt",
    async check() {
      const client = await mqtt.connectAsync(url, {
        username,
        password,
        connectTimeout: 3_000,
        reconnectPeriod: 0,
        clientId: `pdm-ready-${process.pid}-${Date.now()}`,
      });
      await client.endAsync();
    },
  };
}

export function temporalCheck(connection: () => Promise<Connection>, namespace: string): ReadinessCheck {
  return {
    name: "temporal",
    async check() {
      const conn = await connection();
      await conn.workflowService.describeNamespace({ namespace });
    },
  };
}

export function stripeCheck(stripe: Stripe): ReadinessCheck {
  return {
    name: "stripe",
    async check() {
      await stripe.balance.retrieve();
    },
  };
}

export interface Readiness {
  readonly ready: boolean;
  /** When the backends were last asked (an ISO time): probes within `reuseMs` share one answer. */
  readonly checkedAt: string;
  readonly checks: Record<string, { ok: boolean; ms: number }>;
}

/** A failed check's reason, for the server's log only: /readyz is public. */
export type CheckFailure = (name: string, error: unknown) => void;

/** Runs every check at once, each with a time limit. */
export async function checkReadiness(checks: readonly ReadinessCheck[], onFailure: CheckFailure, timeoutMs = 3_000): Promise<Readiness> {
  const results = await Promise.all(
    checks.map(async (c) => {
      const started = performance.now();
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        await Promise.race([
          c.check(signal),
          new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error(`no answer within ${timeoutMs} ms`)))),
        ]);
        return [c.name, { ok: true, ms: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        onFailure(c.name, error);
        return [c.name, { ok: false, ms: Math.round(performance.now() - started) }] as const;
      }
    }),
  );
  return { ready: results.every(([, r]) => r.ok), checkedAt: new Date().toISOString(), checks: Object.fromEntries(results) };
}

/**
 * Readiness as /readyz asks it: the backend checks run at most once per `reuseMs` however many
 * callers probe (parallel probes wait for the same run; a stranger's flood of probes cannot make
 * this copy open broker connections or call Stripe per request), while the live checks run on
 * every probe, so a stopping copy turns 503 at once.
 */
export function sharedReadiness(checks: readonly ReadinessCheck[], onFailure: CheckFailure, reuseMs = 1_000): () => Promise<Readiness> {
  const live = checks.filter((c) => c.live);
  const backends = checks.filter((c) => !c.live);
  let last: { readonly at: number; readonly result: Readiness } | undefined;
  let running: Promise<Readiness> | undefined;
  const backendsNow = (): Promise<Readiness> => {
    if (last && performance.now() - last.at < reuseMs) return Promise.resolve(last.result);
    running ??= checkReadiness(backends, onFailure).then(
      (result) => {
        last = { at: performance.now(), result };
        running = undefined;
        return result;
      },
      (error: unknown) => {
        running = undefined;
        throw error;
      },
    );
    return running;
  };
  return async () => {
    const [now, shared] = await Promise.all([checkReadiness(live, onFailure), backendsNow()]);
    return {
      ready: now.ready && shared.ready,
      checkedAt: shared.checkedAt,
      checks: { ...now.checks, ...shared.checks },
    };
  };
}

/** The public answer of /readyz: whether to send traffic here, nothing about what runs behind. */
export interface PublicReadiness {
  readonly ready: boolean;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** True for a connection from this machine (its socket, not a forwarded header). */
export function isLoopbackPeer(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

/** What /readyz shows: every backend and its timing to operators and to this machine; readiness alone to anyone else. */
export function readinessAnswer(result: Readiness, detailed: boolean): Readiness | PublicReadiness {
  return detailed ? result : { ready: result.ready };
}
