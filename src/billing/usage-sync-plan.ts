import { createHash } from "node:crypto";
import type { Sql } from "postgres";
import type { Db } from "../db/client.js";
import { withTenantSql } from "../db/client.js";
import type { Meter } from "./schema.js";

/**
 * Planning a tenant's meter reports: what an hour holds beyond `reported` becomes a report
 * (sequence 1 for the hour's first, the next sequence for usage recorded after it), in the
 * tenant's transaction with the hourly rows locked, so a report and the `reported` it adds commit
 * together. On the postgres.js client (statements prepared once per connection): the lock, then
 * the reports and the `reported` they add in one statement, both sent together.
 */

/** How long after an hour ends its usage is still expected to trickle in before it is reported. */
export const SETTLE_MS = 5 * 60_000;
const IDENTIFIER_MAX = 100;

export type MeterQuantities = Partial<Record<Meter, number>>;

export interface PlanResult {
  readonly created: number;
  readonly quantityByMeter: MeterQuantities;
}

/** A quantity Postgres sent as text (int8), as a number; an error if it does not fit exactly. */
export function toQuantity(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`Usage quantity out of range: ${text}`);
  return n;
}

/** Hours that started before this are closed: their hour and the settle margin are over. */
export const closedBefore = (now: Date): Date => new Date(now.getTime() - 3_600_000 - SETTLE_MS);

/** YYYYMMDDHH of a UTC hour. */
const hourStamp = (epochSeconds: number): string => new Date(epochSeconds * 1000).toISOString().slice(0, 13).replace(/[-T]/g, "");

/**
 * The two heads a tenant's identifiers may start with: `pdm_<tenant id>` (null when the id is not
 * plain letters, digits and underscores) and `pdm_h<hash of the id>`, for when the first would
 * make the identifier longer than Stripe's 100 characters.
 */
function identifierHeads(tenantId: string): { plain: string | null; hashed: string } {
  return {
    plain: /^[A-Za-z0-9_]+$/.test(tenantId) ? `pdm_${tenantId}` : null,
    hashed: `pdm_h${createHash("sha256").update(tenantId).digest("hex").slice(0, 32)}`,
  };
}

/**
 * The Billing Meter event identifier of a report: derived from tenant, meter, hour and sequence
 * only, so every send of a report is the same event. Stripe allows 100 characters; a tenant id
 * that would not fit is replaced by a hash of it. planReports builds the same in SQL.
 */
export function reportIdentifier(tenantId: string, meter: Meter, hourEpochSeconds: number, seq: number): string {
  const tail = `_${meter}_${hourStamp(hourEpochSeconds)}_${seq}`;
  const heads = identifierHeads(tenantId);
  if (heads.plain !== null && heads.plain.length + tail.length <= IDENTIFIER_MAX) return heads.plain + tail;
  const hashed = heads.hashed + tail;
  if (hashed.length > IDENTIFIER_MAX) throw new Error(`Meter event identifier too long: ${hashed}`);
  return hashed;
}

/**
 * Creates the meter reports of a tenant's closed hours whose total grew beyond what was
 * reported, and moves `reported` up by the same amounts, in the caller's transaction. A tenant
 * without a Stripe customer gets none: its usage stays unreported until it has one. Its two
 * statements are started at once (`execute`), so they go out with whatever the caller started
 * before (BEGIN) and starts next, in one round trip.
 *
 * With `sendNow` (a caller that sends in this transaction's wake, in chunks of that many
 * reports), the new reports are created already marked sent (as `markSent` would, committed
 * with them) when they and the tenant's open reports fit in the first chunk, which is the usual
 * case: the caller then has no reports left to mark, and Postgres writes each row once less.
 * Such a report has `sent_at = now()`, the transaction's time, which tells it from one sent before.
 */
export function planTenantReports(sql: Sql, tenantId: string, input: { now: Date; sendNow?: number }): Promise<PlanResult> {
  const closed = closedBefore(input.now).toISOString();
  const heads = identifierHeads(tenantId);
  // The lock holds back usage being added to these hours until the reports are committed. The
  // reports are planned by the next statement, whose snapshot is taken once the lock is granted:
  // it sees the reports another plan of the tenant committed meanwhile, so each hour's next
  // sequence follows the newest, and an hour it reported is no longer due.
  const locked = sql`
    select count(*)::int as hours from (
      select 1 from usage_hourly
      where tenant_id = ${tenantId} and quantity > reported and hour < ${closed}::timestamptz
      for update) l`.execute();
  // Due hours are locked again (already held, or an hour that appeared since, which it waits for
  // if needed), and `reported` moves by the planned amounts on exactly those rows.
  const created = sql<{ meter: Meter; quantity: string; reports: number }[]>`
    with due as (
      select h.meter, h.hour, h.quantity - h.reported as quantity, a.stripe_customer_id as customer
      from usage_hourly h join billing_accounts a on a.tenant_id = h.tenant_id and a.stripe_customer_id is not null
      where h.tenant_id = ${tenantId} and h.quantity > h.reported and h.hour < ${closed}::timestamptz
      for update of h
    ), marked as (
      select ${input.sendNow ?? 0}::int > 0 and (select count(*) from due) + (
        select count(*) from meter_reports where tenant_id = ${tenantId} and state in ('pending', 'sent')) <= ${input.sendNow ?? 0}::int as sent
    ), planned as materialized (
      select d.*, coalesce((select max(r.seq) from meter_reports r
                            where r.tenant_id = ${tenantId} and r.meter = d.meter and r.hour = d.hour), 0) + 1 as seq
      from due d
    ), named as (
      select p.*, '_' || p.meter || '_' || to_char(p.hour at time zone 'UTC', 'YYYYMMDDHH24') || '_' || p.seq as tail from planned p
    ), inserted as (
      insert into meter_reports (tenant_id, meter, hour, seq, identifier, quantity, stripe_customer_id, state, attempts, sent_at)
      select ${tenantId}, n.meter, n.hour, n.seq,
        case when length(${heads.plain}::text || n.tail) <= ${IDENTIFIER_MAX} then ${heads.plain}::text || n.tail else ${heads.hashed}::text || n.tail end,
        n.quantity, n.customer,
        case when m.sent then 'sent' else 'pending' end, case when m.sent then 1 else 0 end, case when m.sent then now() end
      from named n cross join marked m
      returning meter, quantity
    ), moved as (
      update usage_hourly h set reported = h.reported + d.quantity
      from due d
      where h.tenant_id = ${tenantId} and h.meter = d.meter and h.hour = d.hour
    )
    select meter, sum(quantity)::text as quantity, count(*)::int as reports from inserted group by meter`.execute();
  return Promise.all([locked, created]).then(([, rows]) => {
    const quantityByMeter: MeterQuantities = {};
    let reports = 0;
    for (const row of rows) {
      quantityByMeter[row.meter] = toQuantity(row.quantity);
      reports += row.reports;
    }
    return { created: reports, quantityByMeter };
  });
}

/** planTenantReports in a transaction of its own. */
export function planReports(deps: { db: Db }, input: { tenantId: string; now: Date }): Promise<PlanResult> {
  return withTenantSql(deps.db.sql, { tenantId: input.tenantId }, (sql) => planTenantReports(sql, input.tenantId, input));
}
