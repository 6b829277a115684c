import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import { type Meter, usageDaily } from "./schema.js";

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

export async function usedOnDay(tx: Tx, tenantId: string, meter: Meter, day: string): Promise<number> {
  const [row] = await tx
    .select({ quantity: usageDaily.quantity })
    .from(usageDaily)
    .where(and(eq(usageDaily.tenantId, tenantId), eq(usageDaily.meter, meter), eq(usageDaily.day, day)));
  return row?.quantity ?? 0;
}

export interface IngestUsage {
  readonly tenantId: string;
  readonly id: string;
  readonly quantity: number;
  readonly idempotencyKey: string;
  readonly source: string;
  readonly at: Date;
  /** Points per asset, for the fleet overview (parallel arrays). */
  readonly assetIds: readonly string[];
  readonly assetPoints: readonly number[];
}

/**
 * The usage of one accepted ingest batch in one statement (ingest's hot path): the ledger row,
 * the day's total and the assets' hourly activity, all or none; nothing when the idempotency key
 * was recorded before. Returns whether it was recorded.
 */
// Parameters are passed as text: the drizzle-configured client sends values as they are.
export async function recordIngestUsage(tx: Tx, u: IngestUsage): Promise<boolean> {
  if (!Number.isSafeInteger(u.quantity) || u.quantity <= 0) throw new Error(`Usage quantity must be a positive integer: ${u.quantity}`);
  const hour = new Date(Math.floor(u.at.getTime() / 3_600_000) * 3_600_000);
  const rows = await tx.execute<{ recorded: number }>(sql`
    with ledger as (
      insert into usage_ledger (tenant_id, id, meter, quantity, idempotency_key, source, occurred_at)
      values (${u.tenantId}, ${u.id}, 'points_ingested', ${u.quantity}, ${u.idempotencyKey}, ${u.source}, ${u.at.toISOString()}::timestamptz)
      on conflict (tenant_id, idempotency_key) do nothing
      returning quantity
    ), daily as (
      insert into usage_daily (tenant_id, meter, day, quantity)
      select ${u.tenantId}, 'points_ingested', ${utcDay(u.at)}::date, quantity from ledger
      on conflict (tenant_id, meter, day) do update set quantity = usage_daily.quantity + excluded.quantity
    ), activity as (
      insert into asset_activity (tenant_id, asset_id, hour, points, last_seen_at)
      select ${u.tenantId}, a.asset_id, ${hour.toISOString()}::timestamptz, a.points, ${u.at.toISOString()}::timestamptz
      from unnest(${`{${u.assetIds.join(",")}}`}::text[], ${`{${u.assetPoints.join(",")}}`}::bigint[]) as a(asset_id, points)
      where exists (select 1 from ledger)
      on conflict (tenant_id, asset_id, hour) do update
        set points = asset_activity.points + excluded.points, last_seen_at = greatest(asset_activity.last_seen_at, excluded.last_seen_at)
    )
    select count(*)::int as recorded from ledger`);
  return (rows[0]?.recorded ?? 0) > 0;
}
