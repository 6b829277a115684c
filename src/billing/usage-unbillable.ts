import type { Sql } from "postgres";
import type { UnbillableReason } from "./schema.js";

/**
 * Reports that no invoice can include, decided by the usage sync: they become `unbillable` with
 * their reason and are never sent (again).
 * - too_old: Stripe accepts meter events up to 35 days in the past; an hour whose event time is
 *   older than that (less a margin for the request on its way) cannot be sent at all.
 * - before_subscription: the event time lies before the subscription started, so it falls in no
 *   billing period of it.
 * - customer_deleted: Stripe answered that the customer does not exist (any more).
 */

/** Stripe's limit for a meter event's timestamp in the past. */
export const STRIPE_PAST_LIMIT_MS = 35 * 86_400_000;
/** Kept from that limit, so a request on its way (and its retries) still lands inside it. */
const PAST_LIMIT_MARGIN_MS = 3_600_000;

/** What the sync knows of a report before sending it: its event time and the subscription's start. */
export interface ReportTiming {
  /** The event's time (the hour's last second), epoch seconds. */
  readonly eventTime: number;
  /** When the tenant's subscription started, epoch seconds; null when unknown or none. */
  readonly subscriptionStart: number | null;
}

/** Why a report cannot be sent, or undefined when it can. */
export function unsendableReason(report: ReportTiming, now: Date): UnbillableReason | undefined {
  if (report.eventTime * 1000 < now.getTime() - STRIPE_PAST_LIMIT_MS + PAST_LIMIT_MARGIN_MS) return "too_old";
  if (report.subscriptionStart !== null && report.eventTime < report.subscriptionStart) return "before_subscription";
  return undefined;
}

/** Whether Stripe's refusal says the customer does not exist: its `resource_missing` error on the customer. */
export function isCustomerMissing(error: unknown): boolean {
  const e = error as { code?: unknown; param?: unknown; message?: unknown; raw?: { code?: unknown; param?: unknown } };
  const code = e.code ?? e.raw?.code;
  if (code !== "resource_missing") return false;
  const param = String(e.param ?? e.raw?.param ?? "");
  return param.includes("customer") || /no such customer/i.test(String(e.message ?? ""));
}

/** Marks reports unbillable with their reason (and Stripe's answer, when there was one); confirmed ones stay. One statement, started at once. */
export async function markUnbillable(
  sql: Sql,
  tenantId: string,
  reports: readonly { identifier: string; reason: UnbillableReason; error?: string }[],
): Promise<void> {
  if (reports.length === 0) return;
  const rows = JSON.stringify(reports.map((r) => ({ identifier: r.identifier, reason: r.reason, error: r.error ?? null })));
  await sql`
    update meter_reports m set state = 'unbillable', unbillable_reason = r.reason, last_error = coalesce(r.error, m.last_error),
      -- One the plan created marked sent in this transaction was never sent.
      attempts = case when m.sent_at = now() then m.attempts - 1 else m.attempts end,
      sent_at = case when m.sent_at = now() then null else m.sent_at end
    from jsonb_to_recordset(${rows}::jsonb) as r(identifier text, reason text, error text)
    where m.tenant_id = ${tenantId} and m.identifier = r.identifier and m.state <> 'confirmed'`.execute();
}
