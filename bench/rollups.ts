import { sql } from "drizzle-orm";
import { parseConfig } from "../src/config.js";
import { connectDb, withTenant } from "../src/db/client.js";
import { HOUR_MS, markDirtyHours, splitAtSettled } from "../src/telemetry/rollup-marks.js";
import { say, sleep } from "./support.js";

/**
 * Points written straight to InfluxDB have no rollups: marks their hours stale, as ingest marks
 * a historic import, and waits until the API's rollup step has recomputed those that settled (the
 * last hour or two stay stale, read raw, as under live ingest).
 */
export async function rollUpImported(tenantId: string, measurement: string, fromMs: number, toMs: number): Promise<void> {
  const db = connectDb(parseConfig(process.env).DATABASE_URL, { max: 1, applicationName: "pdm-bench-rollups" });
  try {
    const started = Date.now();
    await withTenant(db.db, { tenantId }, (tx) =>
      markDirtyHours(
        tx,
        tenantId,
        splitAtSettled([{ first: Math.floor(fromMs / HOUR_MS), last: Math.floor(toMs / HOUR_MS) }], Date.now()).map((r) => ({
          measurement,
          ...r,
        })),
      ),
    );
    const until = started + 10 * 60_000;
    for (;;) {
      const rows = await withTenant(db.db, { tenantId }, (tx) =>
        tx.execute<{ n: number }>(
          sql`select count(*)::int as n from telemetry_dirty_hours where tenant_id = ${tenantId} and last_hour < now() - interval '65 minutes'`,
        ),
      );
      if ([...rows][0]?.n === 0) break;
      if (Date.now() > until) throw new Error("the rollups were not recomputed within 10 minutes");
      await sleep(250);
    }
    say(
      `rolled up ${Math.round((toMs - fromMs) / HOUR_MS)} hours in ${((Date.now() - started) / 1000).toFixed(1)} s (the API's step runs every 15 s)`,
    );
  } finally {
    await db.close();
  }
}
