import { createHash } from "node:crypto";
import type { Sql } from "postgres";
import type { Db } from "../db/client.js";
import { pgArray, withTenantSql } from "../db/client.js";
import type { Meter } from "./schema.js";

/**
 * Planning a tenant's meter reports: what an hour holds beyond `reported` becomes a report
 * (sequence 1 for the hour's first, the next sequence for usage recorded after it), in the
 * tenant's transaction with the hourly rows locked, so a report and the `reported` it adds commit
 * together. On the postgres.js client (statements prepared once per connection): the account
 * read and the lock, sent together, then the reports and the `reported` they add in one statement.
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
 * without a Stripe customer gets none: its usage stays unreported until it has one.
 */
export async function planTenantReports(sql: Sql, tenantId: string, input: { now: Date }): Promise<PlanResult> {
  // Sent together (tenantsToSync lists only tenants with a customer, so the lock is rarely taken
  // for nothing). It holds back usage being added to these hours until the reports are committed.
  const [accounts, due] = await Promise.all([
    sql<{ customer: string | null }[]>`select stripe_customer_id as customer from billing_accounts where tenant_id = ${tenantId}`.execute(),
    sql<{ meter: Meter; epoch: number; quantity: string; reported: string }[]>`
      select meter, extract(epoch from hour)::float8 as epoch, quantity::text as quantity, reported::text as reported
      from usage_hourly
      where tenant_id = ${tenantId} and quantity > reported and hour < ${closedBefore(input.now).toISOString()}::timestamptz
      order by meter, hour
      for update`.execute(),
  ]);
  const customer = accounts[0]?.customer;
  if (!customer || due.length === 0) return { created: 0, quantityByMeter: {} };
  const heads = identifierHeads(tenantId);
  // A new statement, so it sees the reports committed before the lock was granted: each hour's
  // next sequence follows the newest. By the planned amounts, on exactly the locked rows: an hour
  // that appeared meanwhile is untouched.
  const columns = [
    pgArray(due.map((d) => d.meter)),
    pgArray(due.map((d) => d.epoch)),
    pgArray(due.map((d) => d.quantity)),
    pgArray(due.map((d) => d.reported)),
  ] as const;
  // The locked hours, as a table the planner can join by hash (a CTE's rows it cannot count).
  const lockedHours = () =>
    sql`unnest(${columns[0]}::text[], ${columns[1]}::float8[], ${columns[2]}::int8[], ${columns[3]}::int8[]) as u(meter, epoch, quantity, reported)`;
  const created = await sql<{ meter: Meter; quantity: string; reports: number }[]>`
    with planned as (
      select u.meter, to_timestamp(u.epoch) as hour, u.quantity - u.reported as quantity,
        coalesce((select max(r.seq) from meter_reports r
                  where r.tenant_id = ${tenantId} and r.meter = u.meter and r.hour = to_timestamp(u.epoch)), 0) + 1 as seq
      from ${lockedHours()}
    ), named as (
      select p.*, '_' || p.meter || '_' || to_char(p.hour at time zone 'UTC', 'YYYYMMDDHH24') || '_' || p.seq as tail from planned p
    ), inserted as (
      insert into meter_reports (tenant_id, meter, hour, seq, identifier, quantity, stripe_customer_id)
      select ${tenantId}, n.meter, n.hour, n.seq,
        case when length(${heads.plain}::text || n.tail) <= ${IDENTIFIER_MAX} then ${heads.plain}::text || n.tail else ${heads.hashed}::text || n.tail end,
        n.quantity, ${customer}
      from named n
      returning meter, quantity
    ), moved as (
      update usage_hourly h set reported = h.reported + (u.quantity - u.reported)
      from ${lockedHours()}
      where h.tenant_id = ${tenantId} and h.meter = u.meter and h.hour = to_timestamp(u.epoch)
    )
    select meter, sum(quantity)::text as quantity, count(*)::int as reports from inserted group by meter`;
  const quantityByMeter: MeterQuantities = {};
  let reports = 0;
  for (const row of created) {
    quantityByMeter[row.meter] = toQuantity(row.quantity);
    reports += row.reports;
  }
  return { created: reports, quantityByMeter };
}

/** planTenantReports in a transaction of its own. */
export function planReports(deps: { db: Db }, input: { tenantId: string; now: Date }): Promise<PlanResult> {
  return withTenantSql(deps.db.sql, { tenantId: input.tenantId }, (sql) => planTenantReports(sql, input.tenantId, input));
}
