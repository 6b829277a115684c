import { sql } from "drizzle-orm";
import { type Db, withTenant } from "../db/client.js";
import { telemetryLimits } from "../tenancy/index.js";
import type { TelemetryStore } from "./store.js";

/**
 * Brings the tenant's InfluxDB retention to the value Postgres holds now, after the transaction
 * that changed it committed. The value is read under a lock per tenant held while InfluxDB is
 * told, so when two changes are applied at once the later one's value is the one left; the
 * write path never changes a retention (it only creates a missing database).
 */
export async function applyRetention(
  deps: { db: Db; store: Pick<TelemetryStore, "setRetention"> },
  tenantId: string,
): Promise<number | undefined> {
  return withTenant(deps.db.db, { tenantId }, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`retention:${tenantId}`}, 0))`);
    const row = await telemetryLimits({ tx, principal: { tenantId } });
    if (!row) return undefined;
    await deps.store.setRetention(tenantId, row.retentionDays);
    return row.retentionDays;
  });
}
