const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The longest range the reconciliation answers hour by hour. */
export const RECONCILIATION_MAX_DAYS = 31;

export interface Range {
  readonly from: string;
  readonly to: string;
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The running billing period: the subscription's, as the webhooks last described it, or the
 * current calendar month (UTC) before Stripe named one, as the invoice preview counts it.
 */
export function billingPeriod(account: { currentPeriodStart?: string | null; currentPeriodEnd?: string | null }, now: number): Range {
  if (account.currentPeriodStart && account.currentPeriodEnd) return { from: account.currentPeriodStart, to: account.currentPeriodEnd };
  const d = new Date(now);
  return { from: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)), to: iso(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)) };
}

/**
 * The whole UTC hours the period's usage is asked for: from the hour the period starts in (an
 * hour counts in the period its last second falls in) to the end of the current hour.
 */
export function usageRange(period: Range, now: number): Range {
  const from = floorHour(Date.parse(period.from));
  const end = Math.min(floorHour(now) + HOUR_MS, floorHour(Date.parse(period.to) - 1) + HOUR_MS);
  return { from: iso(from), to: iso(Math.max(end, from + HOUR_MS)) };
}

/** The reconciliation's range: the period's hours so far, the last 31 days of them at most. */
export function reconciliationRange(period: Range, now: number): Range {
  const usage = usageRange(period, now);
  const to = Date.parse(usage.to);
  return { from: iso(Math.max(Date.parse(usage.from), to - RECONCILIATION_MAX_DAYS * DAY_MS)), to: usage.to };
}

/** Green below 80 % of a limit, amber from 80 %, red at 100 % (the limit refuses more); none without a limit. */
export type Level = "ok" | "near" | "reached" | "none";

export function levelOf(used: number, limit: number | null | undefined): Level {
  if (limit === null || limit === undefined) return "none";
  if (used >= limit) return "reached";
  return used * 5 >= limit * 4 ? "near" : "ok";
}
