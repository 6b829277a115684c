import type { Meter } from "./schema.js";

/**
 * What the usage sync sends for a tenant's open meter reports.
 *
 * An hour on a per-event meter: one event per report, carrying the report's quantity under the
 * report's identifier; Stripe sums them. An hour on a pre-aggregated meter (`event_time_window:
 * hour`, the tenant switched at or before it): one event per hour carrying the hour's running
 * total, the sum of the hour's reports Stripe should count (confirmed, pending, sent), under the identifier of the hour's newest report.
 * Stripe keeps the newest event of each hour and customer, so a resend of that event, on any day,
 * replaces the hour with the same total, and late usage (a newer report) replaces it with the new
 * total; the hour's older open reports are covered by it and are confirmed with it. The
 * identifier and the value go together: a report's total never changes once the report exists.
 */
export type OpenReport = {
  readonly identifier: string;
  readonly meter: Meter;
  /** The report's own quantity (what it adds to the hour). */
  readonly quantity: string;
  readonly customer: string;
  readonly epoch: number;
  readonly eventName: string | null;
  /** Whether the hour goes to the pre-aggregated meter. */
  readonly preaggregated: boolean;
  /** The sum of the hour's reports that Stripe should count: confirmed, pending and sent (not rejected or unbillable). */
  readonly hourTotal: string;
  /** The identifier of the newest of those reports. */
  readonly hourLastIdentifier: string;
  /** When the tenant's subscription started, epoch seconds; null when unknown or none. */
  readonly subscriptionStart: number | null;
  /** Marked sent by the transaction that read it (created so by the plan): not to be marked again. */
  readonly markedSent: boolean;
};

/** An open report an event confirms. */
export interface Cover {
  readonly identifier: string;
  readonly quantity: string;
  readonly markedSent: boolean;
}

export interface MeterSend {
  /** The event's identifier, also its idempotency key. */
  readonly identifier: string;
  readonly meter: Meter;
  /** The event's value: a report's quantity, or an hour's running total. */
  readonly value: string;
  readonly customer: string;
  readonly epoch: number;
  readonly eventName: string | null;
  /** The open reports this event confirms. */
  readonly covers: readonly Cover[];
}

/** The events to send for `open` (ordered oldest first), in that order. */
export function sendsOf(open: readonly OpenReport[]): MeterSend[] {
  const sends: MeterSend[] = [];
  const byHour = new Map<string, { covers: Cover[] }>();
  for (const r of open) {
    const cover = { identifier: r.identifier, quantity: r.quantity, markedSent: r.markedSent };
    if (!r.preaggregated) {
      sends.push({
        identifier: r.identifier,
        meter: r.meter,
        value: r.quantity,
        customer: r.customer,
        epoch: r.epoch,
        eventName: r.eventName,
        covers: [cover],
      });
      continue;
    }
    const key = `${r.meter}:${r.epoch}`;
    const hour = byHour.get(key);
    if (hour) {
      hour.covers.push(cover);
      continue;
    }
    const covers = [cover];
    byHour.set(key, { covers });
    sends.push({
      identifier: r.hourLastIdentifier,
      meter: r.meter,
      value: r.hourTotal,
      customer: r.customer,
      epoch: r.epoch,
      eventName: r.eventName,
      covers,
    });
  }
  return sends;
}
