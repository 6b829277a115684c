import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { AppError } from "../core/errors.js";
import { pgArray, type Tx } from "../db/client.js";

/** Series hashes kept per process, over all tenants; beyond this the cache starts over. */
const MAX_CACHED = 1_000_000;

export { DEFAULT_MAX_SERIES, seriesBudget } from "../billing/index.js";

/** 128 bits of SHA-256 over the series key (measurement and sorted tags). */
export const seriesHash = (key: string): string => createHash("sha256").update(key).digest("base64url").slice(0, 22);

/**
 * Series already recorded in Postgres, per process. An entry is added only after the
 * transaction that recorded it committed, and rows are never deleted but with their tenant, so a
 * stale cache only sends a known series to Postgres again (ON CONFLICT DO NOTHING).
 */
export function createSeriesCache(maxEntries = MAX_CACHED) {
  const known = new Map<string, Set<string>>();
  let size = 0;
  return {
    /** The series of a batch not known here yet, as hash → first line. */
    unknown(tenantId: string, series: ReadonlyMap<string, number>): Map<string, number> {
      const mine = known.get(tenantId);
      const out = new Map<string, number>();
      for (const [key, line] of series) {
        const hash = seriesHash(key);
        if (mine?.has(hash) !== true && !out.has(hash)) out.set(hash, line);
      }
      return out;
    },
    /** Call after the commit that recorded them. */
    remember(tenantId: string, hashes: Iterable<string>): void {
      let mine = known.get(tenantId);
      if (!mine) {
        mine = new Set();
        known.set(tenantId, mine);
      }
      for (const hash of hashes) {
        if (size >= maxEntries) {
          known.clear();
          size = 0;
          mine = new Set();
          known.set(tenantId, mine);
        }
        if (!mine.has(hash)) {
          mine.add(hash);
          size++;
        }
      }
    },
    clear(): void {
      known.clear();
      size = 0;
    },
  };
}

export type SeriesCache = ReturnType<typeof createSeriesCache>;

/**
 * Records the batch's series not known to this process, in the ingest transaction, and refuses
 * the whole batch with QUOTA_EXCEEDED when the new ones would take the tenant past its budget.
 * Hashes are inserted in sorted order and the tenant's counter row is taken after them, so
 * parallel batches cannot deadlock; a batch without new series takes no lock at all.
 */
export async function recordNewSeries(
  tx: Tx,
  input: { tenantId: string; unknown: ReadonlyMap<string, number>; limit: number },
): Promise<void> {
  if (input.unknown.size === 0) return;
  const hashes = [...input.unknown.keys()].sort();
  const rows = await tx.execute<{ added: string[]; total: string | null }>(sql`
    with added as (
      insert into telemetry_series (tenant_id, series_hash)
      select ${input.tenantId}, h from unnest(${pgArray(hashes)}::text[]) as h order by h
      on conflict (tenant_id, series_hash) do nothing
      returning series_hash
    ), counted as (
      insert into telemetry_series_counts (tenant_id, series)
      select ${input.tenantId}, count(*) from added having count(*) > 0
      on conflict (tenant_id) do update set series = telemetry_series_counts.series + excluded.series
      returning series
    )
    select array(select series_hash from added) as added, (select series::text from counted) as total`);
  const total = Number(rows[0]?.total ?? 0);
  if (total <= input.limit) return;
  const added = rows[0]?.added ?? [];
  let line = 0;
  for (const hash of added) {
    const l = input.unknown.get(hash) ?? 0;
    if (l > 0 && (line === 0 || l < line)) line = l;
  }
  throw new AppError(
    "QUOTA_EXCEEDED",
    `line ${line}: this batch would create ${added.length} new series and the plan allows ${input.limit} series (measurement and tag set) per tenant, ${total - added.length} of them in use; nothing was written. Write to existing series (fewer distinct tag values), or upgrade the plan.`,
    {
      entitlement: "maxSeries",
      limit: input.limit,
      used: total - added.length,
      requested: added.length,
      line,
      resetsAt: null,
      retryAfterSeconds: null,
    },
  );
}
