import { sql } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { newId } from "../core/ids.js";
import { pgArray } from "../db/client.js";
import type { Meter } from "./schema.js";

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** The start of the UTC hour an instant falls in: usage is totalled and reported per hour. */
export const utcHour = (at: Date): Date => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/** A meter's usage on one UTC day (YYYY-MM-DD), from the hourly totals. */
export async function usedOnDay(ctx: TenantContext, input: { meter: Meter; day: string }): Promise<number> {
  const { meter, day } = input;
  const rows = await ctx.tx.execute<{ quantity: string | null }>(sql`
    select sum(quantity)::text as quantity from usage_hourly
    where tenant_id = ${ctx.principal.tenantId} and meter = ${meter}
      and hour >= ${day}::date::timestamptz and hour < (${day}::date + 1)::timestamptz`);
  return Number(rows[0]?.quantity ?? 0);
}

export interface IngestUsage {
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
 * The ledger row of one accepted ingest batch; nothing when its idempotency key was recorded
 * before (or is being recorded by a concurrent transaction, which this one then waits for).
 * Returns whether it was recorded. Call applyIngestRollups in the same transaction afterwards.
 */
// Parameters are passed as text: the drizzle-configured client sends values as they are.
export async function recordIngestUsage(ctx: TenantContext, u: IngestUsage): Promise<boolean> {
  const tenantId = ctx.principal.tenantId;
  if (!Number.isSafeInteger(u.quantity) || u.quantity <= 0) throw new Error(`Usage quantity must be a positive integer: ${u.quantity}`);
  const rows = await ctx.tx.execute<{ id: string }>(sql`
    insert into usage_ledger (tenant_id, id, meter, quantity, idempotency_key, source, occurred_at)
    values (${tenantId}, ${u.id}, 'points_ingested', ${u.quantity}, ${u.idempotencyKey}, ${u.source}, ${u.at.toISOString()}::timestamptz)
    on conflict (tenant_id, idempotency_key) do nothing
    returning id`);
  return rows.length > 0;
}

/**
 * The hour's total and the assets' hourly activity for a batch whose ledger row was just recorded.
 * These rows are shared by all batches of a tenant, so their locks are taken last, just before
 * the commit, and in one order (assets sorted by id) so that parallel batches cannot deadlock.
 */
export async function applyIngestRollups(ctx: TenantContext, u: IngestUsage): Promise<void> {
  const tenantId = ctx.principal.tenantId;
  const hour = utcHour(u.at);
  const order = u.assetIds.map((_, k) => k).sort((a, b) => ((u.assetIds[a] ?? "") < (u.assetIds[b] ?? "") ? -1 : 1));
  const ids = order.map((k) => u.assetIds[k] ?? "");
  const points = order.map((k) => u.assetPoints[k] ?? 0);
  await ctx.tx.execute(sql`
    with hourly as (
      insert into usage_hourly (tenant_id, meter, hour, quantity)
      values (${tenantId}, 'points_ingested', ${hour.toISOString()}::timestamptz, ${u.quantity})
      on conflict (tenant_id, meter, hour) do update set quantity = usage_hourly.quantity + excluded.quantity
    )
    insert into asset_activity (tenant_id, asset_id, hour, points, last_seen_at)
    select ${tenantId}, a.asset_id, ${hour.toISOString()}::timestamptz, a.points, ${u.at.toISOString()}::timestamptz
    from unnest(${pgArray(ids)}::text[], ${pgArray(points)}::bigint[]) with ordinality as a(asset_id, points, n)
    order by a.n
    on conflict (tenant_id, asset_id, hour) do update
      set points = asset_activity.points + excluded.points, last_seen_at = greatest(asset_activity.last_seen_at, excluded.last_seen_at)`);
}

export interface UsageInput {
  readonly meter: Meter;
  readonly quantity: number;
  readonly idempotencyKey: string;
  readonly source: string;
  readonly at: Date;
}

/**
 * A billed piece of work besides ingest (a prediction, a training run), in the transaction that
 * stores its result: the ledger row and the hour's total, once per idempotency key. Returns
 * whether it was recorded now (false: the key was recorded before).
 */
export async function recordUsage(ctx: TenantContext, u: UsageInput): Promise<boolean> {
  const tenantId = ctx.principal.tenantId;
  if (!Number.isSafeInteger(u.quantity) || u.quantity <= 0) throw new Error(`Usage quantity must be a positive integer: ${u.quantity}`);
  const rows = await ctx.tx.execute<{ recorded: number }>(sql`
    with ledger as (
      insert into usage_ledger (tenant_id, id, meter, quantity, idempotency_key, source, occurred_at)
      values (${tenantId}, ${newId("usage")}, ${u.meter}, ${u.quantity}, ${u.idempotencyKey}, ${u.source}, ${u.at.toISOString()}::timestamptz)
      on conflict (tenant_id, idempotency_key) do nothing
      returning quantity
    ), hourly as (
      insert into usage_hourly (tenant_id, meter, hour, quantity)
      select ${tenantId}, ${u.meter}, ${utcHour(u.at).toISOString()}::timestamptz, quantity from ledger
      on conflict (tenant_id, meter, hour) do update set quantity = usage_hourly.quantity + excluded.quantity
    )
    select count(*)::int as recorded from ledger`);
  return (rows[0]?.recorded ?? 0) > 0;
}
