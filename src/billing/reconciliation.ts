import { sql } from "drizzle-orm";
import { validation } from "../core/errors.js";
import type { Tx } from "../db/client.js";
import { MAX_ROWS, type Range, type TenantFilter, tenantWhere } from "./finance-usage.js";
import type { Meter, UnbillableReason } from "./schema.js";

export const RECONCILIATION_STATUSES = ["match", "unreported", "in_flight", "mismatch", "rejected", "unbillable"] as const;
export type ReconciliationStatus = (typeof RECONCILIATION_STATUSES)[number];

export interface Quantities {
  /** Recomputed from the ledger rows of the hour: the source of truth. */
  readonly ledgerQuantity: number;
  /** The hour's running total, which quotas read and the sync reports from. */
  readonly hourlyQuantity: number;
  /** Every meter report of the hour, whatever its state. */
  readonly reportedQuantity: number;
  /** Reports Stripe answered. */
  readonly confirmedQuantity: number;
  /** Reports pending or sent, not yet answered. */
  readonly inFlightQuantity: number;
  /** Reports Stripe accepted, then rejected in its error report: no invoice counts them. */
  readonly rejectedQuantity: number;
  /** Reports that no invoice can include (too old for Stripe, before the subscription, customer deleted). */
  readonly unbillableQuantity: number;
}

export interface ReconciliationHour extends Quantities {
  readonly tenantId: string;
  readonly meter: Meter;
  readonly hour: Date;
  readonly status: ReconciliationStatus;
  /** Stripe's reasons for the hour's rejected reports (distinct, sorted), or null. */
  readonly rejectedReason: string | null;
  /** Why the hour's unbillable reports can reach no invoice (distinct, sorted); empty without any. */
  readonly unbillableReasons: readonly UnbillableReason[];
}

export interface ReconciliationTotal extends Quantities {
  readonly tenantId: string;
  readonly meter: Meter;
  readonly status: ReconciliationStatus;
  /** Stripe's reasons over the range's rejected reports (distinct, sorted), or null. */
  readonly rejectedReason: string | null;
  /** Why the range's unbillable reports can reach no invoice (distinct, sorted); empty without any. */
  readonly unbillableReasons: readonly UnbillableReason[];
}

/**
 * mismatch: the hourly total is not the ledger's sum, or more was reported than counted (a defect
 * to investigate); rejected: Stripe rejected some of it in an error report (finance decides what
 * to bill); match: Stripe confirmed all of it; in_flight: reports are on their way;
 * unbillable: some of it can reach no invoice (never confirmed); unreported: usage not reported
 * yet (the sync reports closed hours).
 */
export function statusOf(q: Quantities): ReconciliationStatus {
  if (q.ledgerQuantity !== q.hourlyQuantity || q.reportedQuantity > q.hourlyQuantity) return "mismatch";
  if (q.rejectedQuantity > 0) return "rejected";
  if (q.ledgerQuantity === q.confirmedQuantity && q.unbillableQuantity === 0) return "match";
  if (q.inFlightQuantity > 0) return "in_flight";
  if (q.unbillableQuantity > 0) return "unbillable";
  return "unreported";
}

export interface Reconciliation {
  readonly hours: readonly ReconciliationHour[];
  readonly totals: readonly ReconciliationTotal[];
}

const QUANTITY_KEYS = [
  "ledgerQuantity",
  "hourlyQuantity",
  "reportedQuantity",
  "confirmedQuantity",
  "inFlightQuantity",
  "rejectedQuantity",
  "unbillableQuantity",
] as const;

const reasonsOf = (reasons: Iterable<string>): string | null => [...new Set(reasons)].sort().join("; ") || null;
const unbillableReasonsOf = (reasons: Iterable<UnbillableReason | null>): UnbillableReason[] =>
  [...new Set(reasons)].filter((r): r is UnbillableReason => typeof r === "string").sort();

/**
 * Hour by hour and meter by meter: the ledger, the hourly total and the meter reports side by
 * side, with totals per tenant and meter. Hours where none of them has anything are left out.
 */
export async function reconcile(tx: Tx, filter: TenantFilter, range: Range): Promise<Reconciliation> {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  const rows = await tx.execute<{
    tenant_id: string;
    meter: Meter;
    hour: string;
    ledger: string;
    hourly: string;
    reported: string;
    confirmed: string;
    in_flight: string;
    rejected: string;
    rejected_reasons: string[] | null;
    unbillable: string;
    unbillable_reasons: UnbillableReason[] | null;
  }>(sql`
    with l as (
      select tenant_id, meter, date_trunc('hour', occurred_at at time zone 'UTC') at time zone 'UTC' as hour, sum(quantity) as q
      from usage_ledger
      where ${tenantWhere(filter, sql`tenant_id`)} and occurred_at >= ${from}::timestamptz and occurred_at < ${to}::timestamptz
      group by 1, 2, 3
    ), h as (
      select tenant_id, meter, hour, quantity as q from usage_hourly
      where ${tenantWhere(filter, sql`tenant_id`)} and hour >= ${from}::timestamptz and hour < ${to}::timestamptz
    ), r as (
      select tenant_id, meter, hour, sum(quantity) as reported,
        coalesce(sum(quantity) filter (where state = 'confirmed'), 0) as confirmed,
        coalesce(sum(quantity) filter (where state in ('pending','sent')), 0) as in_flight,
        coalesce(sum(quantity) filter (where state = 'rejected'), 0) as rejected,
        array_agg(distinct rejected_reason order by rejected_reason) filter (where state = 'rejected') as rejected_reasons,
        coalesce(sum(quantity) filter (where state = 'unbillable'), 0) as unbillable,
        array_agg(distinct unbillable_reason order by unbillable_reason) filter (where state = 'unbillable') as unbillable_reasons
      from meter_reports
      where ${tenantWhere(filter, sql`tenant_id`)} and hour >= ${from}::timestamptz and hour < ${to}::timestamptz
      group by 1, 2, 3
    ), k as (
      select tenant_id, meter, hour from l union select tenant_id, meter, hour from h union select tenant_id, meter, hour from r
    )
    select k.tenant_id, k.meter, to_char(k.hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as hour,
      coalesce(l.q, 0)::text as ledger, coalesce(h.q, 0)::text as hourly, coalesce(r.reported, 0)::text as reported,
      coalesce(r.confirmed, 0)::text as confirmed, coalesce(r.in_flight, 0)::text as in_flight,
      coalesce(r.rejected, 0)::text as rejected, r.rejected_reasons, coalesce(r.unbillable, 0)::text as unbillable,
      r.unbillable_reasons
    from k
    left join l on l.tenant_id = k.tenant_id and l.meter = k.meter and l.hour = k.hour
    left join h on h.tenant_id = k.tenant_id and h.meter = k.meter and h.hour = k.hour
    left join r on r.tenant_id = k.tenant_id and r.meter = k.meter and r.hour = k.hour
    order by k.tenant_id, k.hour, k.meter
    limit ${MAX_ROWS + 1}`);
  if (rows.length > MAX_ROWS) throw validation(`The answer would hold more than ${MAX_ROWS} rows; narrow the range.`, { field: "to" });
  const hours = rows.map((r) => {
    const q: Quantities = {
      ledgerQuantity: Number(r.ledger),
      hourlyQuantity: Number(r.hourly),
      reportedQuantity: Number(r.reported),
      confirmedQuantity: Number(r.confirmed),
      inFlightQuantity: Number(r.in_flight),
      rejectedQuantity: Number(r.rejected),
      unbillableQuantity: Number(r.unbillable),
    };
    const rejectedReason = reasonsOf((r.rejected_reasons ?? []).filter((x): x is string => typeof x === "string"));
    const unbillableReasons = unbillableReasonsOf(r.unbillable_reasons ?? []);
    return { tenantId: r.tenant_id, meter: r.meter, hour: new Date(r.hour), ...q, status: statusOf(q), rejectedReason, unbillableReasons };
  });
  // A total is a mismatch when any of its hours is, even if the sums happen to agree.
  type Sum = { tenantId: string; meter: Meter; mismatched: boolean; reasons: string[]; unbillable: UnbillableReason[] } & Record<
    (typeof QUANTITY_KEYS)[number],
    number
  >;
  const sums = new Map<string, Sum>();
  for (const h of hours) {
    const key = `${h.tenantId}/${h.meter}`;
    const zero = {
      ledgerQuantity: 0,
      hourlyQuantity: 0,
      reportedQuantity: 0,
      confirmedQuantity: 0,
      inFlightQuantity: 0,
      rejectedQuantity: 0,
      unbillableQuantity: 0,
    };
    const t = sums.get(key) ?? { tenantId: h.tenantId, meter: h.meter, mismatched: false, reasons: [], unbillable: [], ...zero };
    sums.set(key, t);
    for (const k of QUANTITY_KEYS) t[k] += h[k];
    t.mismatched ||= h.status === "mismatch";
    if (h.rejectedReason) t.reasons.push(...h.rejectedReason.split("; "));
    t.unbillable.push(...h.unbillableReasons);
  }
  const totals = [...sums.values()]
    .sort((a, b) => (a.tenantId === b.tenantId ? a.meter.localeCompare(b.meter) : a.tenantId < b.tenantId ? -1 : 1))
    .map(
      ({ mismatched, reasons, unbillable, ...t }): ReconciliationTotal => ({
        ...t,
        status: mismatched ? "mismatch" : statusOf(t),
        rejectedReason: reasonsOf(reasons),
        unbillableReasons: unbillableReasonsOf(unbillable),
      }),
    );
  return { hours, totals };
}
