import type { Logger } from "pino";
import type { Db } from "../db/client.js";
import { type RollupDeps, recomputeRollups } from "./rollup-step.js";

export interface RollupLoop {
  /** Runs one step now (if no other copy is running one) and answers whether this copy ran it. */
  runOnce(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The rollup step in the API process, every `intervalMs`. A transaction-scoped advisory lock lets
 * one copy at a time do it (the others skip that turn); the step is safe without it, the lock only
 * spares InfluxDB the same work twice. The lock is held on a connection of its own (`lockDb`, one
 * connection), so the step's work never waits for the connection that holds it, whatever the size
 * of the main pool. A failed turn is logged; its hours stay stale for the next.
 */
export function startRollupLoop(deps: RollupDeps, options: { intervalMs: number; log: Logger; lockDb: Db }): RollupLoop {
  let running: Promise<boolean> | undefined;
  // Each unfinished measurement's hours per call, from turn to turn (RollupOptions.sizes).
  const sizes = new Map<string, number>();
  let closed = false;

  const turn = async (): Promise<boolean> =>
    options.lockDb.sql.begin(async (sql) => {
      const [row] = await sql<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(hashtextextended('telemetry-rollups', 0)) as locked`;
      if (!row?.locked) return false;
      const run = await recomputeRollups(deps, { sizes });
      for (const f of run.failures) {
        options.log.warn({ tenantId: f.tenantId, measurement: f.measurement, err: f.error }, "telemetry rollups: recomputation failed");
      }
      if (run.hours > 0) options.log.debug({ measurements: run.measurements, hours: run.hours, cleared: run.cleared }, "telemetry rollups");
      return true;
    });

  const runOnce = (): Promise<boolean> => {
    running ??= turn()
      .catch((error: unknown) => {
        options.log.warn({ err: error }, "telemetry rollups: the step failed");
        return false;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const timer = options.intervalMs > 0 ? setInterval(() => void (closed ? undefined : runOnce()), options.intervalMs) : undefined;
  timer?.unref();
  return {
    runOnce,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
