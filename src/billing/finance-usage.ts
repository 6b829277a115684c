import { type SQL, sql } from "drizzle-orm";
import { validation } from "../core/errors.js";
import type { Tx } from "../db/client.js";
import { METERS, type Meter } from "./schema.js";

export const GRANULARITIES = ["hour", "day", "month"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The longest range each granularity answers: enough for a month of hours, a year of days, five years of months. */
export const MAX_RANGE_DAYS: Record<Granularity, number> = { hour: 31, day: 400, month: 1830 };

/** Rows an answer may hold; a larger one asks for a narrower range (only reachable across tenants). */
export const MAX_ROWS = 100_000;

export interface Range {
  readonly from: Date;
  readonly to: Date;
}

/**
 * A checked range: both ends on a whole UTC hour (usage is counted per hour), from before to,
 * and at most the granularity's longest range.
 */
export function checkRange(from: Date, to: Date, granularity: Granularity): Range {
  for (const [field, at] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (Number.isNaN(at.getTime())) throw validation(`"${field}" must be an ISO 8601 time, e.g. 2026-01-01T00:00:00Z.`, { field });
    if (at.getTime() % HOUR_MS !== 0) {
      throw validation(`"${field}" must be on a whole UTC hour (usage is counted per hour), e.g. 2026-01-01T00:00:00Z.`, { field });
    }
  }
  if (from.getTime() >= to.getTime()) throw validation('"from" must be before "to".', { field: "from" });
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  const max = MAX_RANGE_DAYS[granularity];
  if (days > max) {
    throw validation(
      `A range by ${granularity} may span at most ${max} days; this one spans ${Math.ceil(days)}. Narrow it or use a coarser granularity.`,
      {
        field: "to",
        maxDays: max,
      },
    );
  }
  return { from, to };
}

export function parseGranularity(value: string | undefined, fallback?: Granularity): Granularity {
  const v = value?.toLowerCase() ?? fallback;
  if (v && (GRANULARITIES as readonly string[]).includes(v)) return v as Granularity;
  throw validation(`"granularity" must be one of ${GRANULARITIES.map((g) => g.toUpperCase()).join(", ")}.`, { field: "granularity" });
}

export function parseMeter(value: string | undefined): Meter | undefined {
  if (value === undefined || value === "") return undefined;
  const v = value.toLowerCase();
  if ((METERS as readonly string[]).includes(v)) return v as Meter;
  throw validation(`"meter" must be one of ${METERS.map((m) => m.toUpperCase()).join(", ")}.`, { field: "meter" });
}

/**
 * Whose usage a query reads: one tenant (a tenant's own finance view, or an operator looking at
 * one tenant) or every tenant (operators only, on the operator connection).
 */
export type TenantFilter = { readonly kind: "tenant"; readonly tenantId: string } | { readonly kind: "all" };

export const tenantWhere = (filter: TenantFilter, column: SQL): SQL =>
  filter.kind === "tenant" ? sql`${column} = ${filter.tenantId}` : sql`true`;

export interface UsageRow {
  readonly tenantId: string;
  readonly meter: Meter;
  readonly periodStart: Date;
  /** An integer; exact up to 2^53. */
  readonly quantity: number;
}

/**
 * Usage per tenant, meter and period (UTC hours, days or calendar months) from the hourly
 * totals, oldest period first; periods without usage are left out.
 */
export async function usageByPeriod(
  tx: Tx,
  filter: TenantFilter,
  input: { range: Range; granularity: Granularity; meter?: Meter | undefined },
): Promise<UsageRow[]> {
  const { range, granularity } = input;
  const rows = await tx.execute<{ tenant_id: string; meter: Meter; period_start: string; quantity: string }>(sql`
    select tenant_id, meter,
      to_char(date_trunc(${granularity}, hour at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as period_start,
      sum(quantity)::text as quantity
    from usage_hourly
    where ${tenantWhere(filter, sql`tenant_id`)}
      and hour >= ${range.from.toISOString()}::timestamptz and hour < ${range.to.toISOString()}::timestamptz
      ${input.meter ? sql`and meter = ${input.meter}` : sql``}
    group by tenant_id, meter, 3
    order by 3, tenant_id, meter
    limit ${MAX_ROWS + 1}`);
  if (rows.length > MAX_ROWS) throw validation(`The answer would hold more than ${MAX_ROWS} rows; narrow the range.`, { field: "to" });
  return rows.map((r) => ({ tenantId: r.tenant_id, meter: r.meter, periodStart: new Date(r.period_start), quantity: Number(r.quantity) }));
}
