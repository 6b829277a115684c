import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { auditLog } from "../audit/schema.js";
import { validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Db, pgArray, type Tx, withTenant } from "../db/client.js";
import type { WebhookDeps } from "./deps.js";

/** The event Stripe sends when meter events it accepted turn out invalid once processed. */
export const METER_ERROR_REPORT = "v1.billing.meter.error_report_triggered";

/** What the webhook hands on (its StripeContext): Stripe acts for no principal here either. */
export interface ErrorReportContext {
  readonly requestId: string;
  readonly log: Pick<Logger, "warn" | "info">;
  readonly deps: WebhookDeps;
}

/** Reasons are kept to this many characters: Stripe's messages are short. */
const REASON_MAX = 500;

/** Stripe's newer events (event destinations) are "v2.core.event" objects with a thin payload. */
export function isThinEvent(raw: Buffer): boolean {
  try {
    const parsed = JSON.parse(raw.toString("utf8")) as unknown;
    return typeof parsed === "object" && parsed !== null && (parsed as { object?: unknown }).object === "v2.core.event";
  } catch {
    return false;
  }
}

/** One meter event Stripe rejected: the identifier we sent it with, and Stripe's reason. */
export interface RejectedSample {
  readonly identifier: string;
  readonly reason: string;
}

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * The samples of an error report's data (reason.error_types[].sample_errors[]): each names the
 * meter event by the identifier it was sent with, and carries a message; the reason kept is
 * "<code>: <message>". Stripe sends samples, not every rejected event: error_count says how many.
 */
export function samplesOf(data: unknown): { samples: RejectedSample[]; errorCount: number } {
  const reason = record(record(data).reason);
  const samples = new Map<string, string>();
  for (const type of list(reason.error_types)) {
    const code = typeof record(type).code === "string" ? (record(type).code as string) : "unknown";
    for (const sample of list(record(type).sample_errors)) {
      const identifier = record(record(sample).request).identifier;
      const message = record(sample).error_message;
      if (typeof identifier !== "string" || samples.has(identifier)) continue;
      samples.set(identifier, `${code}: ${typeof message === "string" ? message : "no message"}`.slice(0, REASON_MAX));
    }
  }
  const errorCount = typeof reason.error_count === "number" ? reason.error_count : samples.size;
  return { samples: [...samples].map(([identifier, r]) => ({ identifier, reason: r })), errorCount };
}

/** Verifies a thin event's signature (the same scheme and secret as the classic events). */
function verifyThinEvent(deps: WebhookDeps, raw: Buffer, signature: string | undefined, toleranceSeconds: number) {
  if (!signature) throw validation("The Stripe-Signature header is missing.");
  try {
    return deps.stripe.parseEventNotification(raw, signature, deps.config.STRIPE_WEBHOOK_SECRET, toleranceSeconds);
  } catch {
    throw validation(`The Stripe signature does not match this endpoint's secret, or is older than ${toleranceSeconds} seconds.`);
  }
}

async function tenantsOfReports(db: Db, identifiers: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db.sql<{ tenant_id: string; identifier: string }[]>`
    select tenant_id, identifier from billing_tenants_of_meter_reports(${pgArray(identifiers)}::text[])`;
  const byTenant = new Map<string, string[]>();
  for (const r of rows) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r.identifier]);
  return byTenant;
}

type RejectedRow = { identifier: string; meter: string; hour: string; quantity: string };

/**
 * Marks what a rejected meter event carried `rejected`. On a per-event meter that is the named
 * report alone. On a pre-aggregated meter the event was the hour's running total under its newest
 * report's identifier, so it carried every report of the hour up to that one: all of them are
 * rejected (the next total for the hour, late usage, is sent without them). When a newer report of
 * that hour was sent since, its event carries the whole total and replaces the rejected one in
 * Stripe: nothing is marked ("superseded"); should that event be rejected too, its own report says so.
 */
async function rejectCovered(
  tx: Tx,
  input: { tenantId: string; identifier: string; reason: string; eventId: string },
): Promise<RejectedRow[] | "superseded"> {
  const { tenantId, identifier, reason, eventId } = input;
  const [named] = await tx.execute<{ preaggregated: boolean; superseded: boolean }>(sql`
    select coalesce(a.hourly_meters_from <= r.hour, false) as preaggregated,
      exists (select 1 from meter_reports n where n.tenant_id = r.tenant_id and n.meter = r.meter and n.hour = r.hour
              and n.seq > r.seq and n.state in ('confirmed', 'pending', 'sent')) as superseded
    from meter_reports r left join billing_accounts a on a.tenant_id = r.tenant_id
    where r.tenant_id = ${tenantId} and r.identifier = ${identifier}`);
  if (!named) return [];
  if (named.preaggregated && named.superseded) return "superseded";
  const covered = named.preaggregated
    ? sql`(r.identifier = ${identifier} or (r.state in ('confirmed', 'pending', 'sent') and (r.meter, r.hour) =
          (select x.meter, x.hour from meter_reports x where x.tenant_id = ${tenantId} and x.identifier = ${identifier})
          and r.seq < (select x.seq from meter_reports x where x.tenant_id = ${tenantId} and x.identifier = ${identifier})))`
    : sql`r.identifier = ${identifier}`;
  return tx.execute<RejectedRow>(sql`
    update meter_reports r set state = 'rejected', rejected_reason = ${reason}, rejected_at = now(), rejected_by_event = ${eventId}
    where r.tenant_id = ${tenantId} and r.state <> 'rejected' and ${covered}
    returning r.identifier, r.meter, to_char(r.hour at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as hour, r.quantity::text`);
}

/**
 * A thin event on the webhook: verified, then, for an error report, each report Stripe names
 * becomes `rejected` with Stripe's reason (on a pre-aggregated meter, with every report its event
 * carried: rejectCovered), in its tenant's scope, with an audit entry naming the
 * event. Applied once: a report already rejected is left as it is, so the same event delivered
 * again answers "duplicate". Identifiers we never sent are acknowledged ("ignored") and logged.
 * The event's data is the delivered payload's when it carries it, else fetched from Stripe.
 */
export async function receiveThinEvent(
  ctx: ErrorReportContext,
  input: { readonly raw: Buffer; readonly signature: string | undefined; readonly toleranceSeconds: number },
): Promise<"applied" | "ignored" | "duplicate"> {
  const { deps } = ctx;
  const notification = verifyThinEvent(deps, input.raw, input.signature, input.toleranceSeconds);
  if (notification.type !== METER_ERROR_REPORT) {
    ctx.log.warn({ eventId: notification.id, type: notification.type }, "Stripe event of a kind not consumed ignored");
    return "ignored";
  }
  const delivered = record(JSON.parse(input.raw.toString("utf8")) as unknown).data;
  const data = delivered !== undefined ? delivered : (await notification.fetchEvent()).data;
  const { samples, errorCount } = samplesOf(data);
  const byTenant = await tenantsOfReports(
    deps.db,
    samples.map((s) => s.identifier),
  );
  const meterId = notification.related_object?.id ?? null;
  if (byTenant.size === 0) {
    ctx.log.warn({ eventId: notification.id, meterId, errorCount, samples: samples.length }, "Stripe error report names no report of ours");
    return "ignored";
  }
  const reasons = new Map(samples.map((s) => [s.identifier, s.reason]));
  let changed = 0;
  let superseded = 0;
  for (const [tenantId, identifiers] of byTenant) {
    changed += await withTenant(deps.db.db, { tenantId }, async (tx) => {
      const rejected: (RejectedRow & { reason: string })[] = [];
      for (const identifier of identifiers) {
        const reason = reasons.get(identifier) ?? "unknown";
        const rows = await rejectCovered(tx, { tenantId, identifier, reason, eventId: notification.id });
        if (rows === "superseded") superseded += 1;
        else for (const r of rows) rejected.push({ ...r, reason });
      }
      if (rejected.length === 0) return 0;
      await tx.insert(auditLog).values({
        tenantId,
        id: newId("audit"),
        actorKind: "stripe",
        actorId: notification.id,
        action: "billing.usage_rejected",
        targetType: "meter_report",
        targetId: rejected[0]?.identifier ?? "",
        data: { eventType: METER_ERROR_REPORT, meterId, errorCount, reports: rejected },
        requestId: ctx.requestId,
      });
      return rejected.length;
    });
  }
  ctx.log.info({ eventId: notification.id, meterId, errorCount, rejected: changed, superseded }, "Stripe error report received");
  if (changed > 0) return "applied";
  return superseded > 0 ? "ignored" : "duplicate";
}
