import type { Sql } from "postgres";
import type Stripe from "stripe";
import { AppError } from "../core/errors.js";
import { type Db, pgArray, withTenantSql } from "../db/client.js";
import type { Meter, UnbillableReason } from "./schema.js";
import { closedBefore, type MeterQuantities, type PlanResult, planTenantReports, toQuantity } from "./usage-sync-plan.js";
import { type MeterSend, type OpenReport, sendsOf } from "./usage-sync-sends.js";
import { isCustomerMissing, markUnbillable, unsendableReason } from "./usage-unbillable.js";

/**
 * The usage sync: each tenant's hourly usage totals become Stripe Billing Meter events.
 *
 * Planning turns what an hour holds beyond `reported` into a meter report (sequence 1 for the
 * hour's first, the next sequence for usage recorded after it), in the tenant's transaction with
 * the hourly rows locked, so a report and the `reported` it adds commit together. Sending marks
 * a report sent before its request leaves and confirmed when Stripe answers with it; a resend is
 * the same identifier with the same value, which Stripe counts once. So neither a retry, nor a
 * crashed worker, nor a Stripe failure bills twice or drops usage. Hours a tenant sends to the
 * pre-aggregated meters go as one event per hour carrying its running total (usage-sync-sends.ts),
 * which stays exact when a resend comes after Stripe's 24-hour identifier window.
 */

/** Requests to Stripe in flight at once when one tenant's reports are sent on their own (sendReports). */
export const SEND_PARALLELISM = 8;
/**
 * Requests to Stripe in flight at once in the sync: one pool shared by all the tenants a sync
 * activity works on (usage-sync-tenants.ts), so no tenant's last requests leave slots idle.
 */
export const SYNC_IN_FLIGHT = 64;
/** Reports marked sent in one transaction, then sent. */
const SEND_CHUNK = 256;
/**
 * An hour's event carries the hour's last second: Stripe bills an event in the period its time
 * falls in, so the usage of the hour a subscription starts in lands in its first period (the
 * invoice preview counts hours the same way).
 */
const LAST_SECOND_OF_HOUR = 3_599;

function addTo(totals: MeterQuantities, meter: Meter, quantity: number): void {
  totals[meter] = (totals[meter] ?? 0) + quantity;
}

/** A report Stripe refused (a 4xx): it stays sent with its error and is tried again next time. */
export interface RejectedReport {
  readonly tenantId: string;
  readonly identifier: string;
  readonly error: string;
}

export interface SendResult {
  readonly confirmed: number;
  /** Reports that no invoice can include, set aside as unbillable (see usage-unbillable.ts). */
  readonly unbillable: number;
  readonly quantityByMeter: MeterQuantities;
  readonly rejected: readonly RejectedReport[];
}

/**
 * Tenants with a Stripe customer and something to do (unreported usage in closed hours, reports
 * not confirmed), in id order after `after`: the one cross-tenant question of the sync.
 */
export async function tenantsToSync(db: Db, input: { now: Date; after?: string; limit: number }): Promise<string[]> {
  const rows = await db.sql<{ tenant_id: string }[]>`
    select tenant_id from billing_tenants_to_sync(${closedBefore(input.now).toISOString()}::timestamptz)
    where tenant_id > ${input.after ?? ""}
    order by tenant_id
    limit ${input.limit}`;
  return rows.map((r) => r.tenant_id);
}

/** A failure that a later attempt may not meet: Stripe was unreachable, timed out, or failed. */
export class TransientSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransientSendError";
  }
}

type Outcome =
  | { kind: "confirmed" }
  | { kind: "rejected"; error: string }
  | { kind: "transient"; error: string }
  | { kind: "unbillable"; reason: UnbillableReason; error: string };

function outcomeOf(error: unknown): Outcome {
  const status = (error as { statusCode?: unknown }).statusCode;
  const message = error instanceof Error ? error.message : String(error);
  const statusCode = typeof status === "number" ? status : undefined;
  // No status: the connection failed or timed out. 409: a concurrent request with the same key.
  if (statusCode === undefined || statusCode >= 500 || statusCode === 429 || statusCode === 409) {
    return { kind: "transient", error: `${statusCode ?? "no answer"}: ${message}`.slice(0, 500) };
  }
  if (isCustomerMissing(error)) return { kind: "unbillable", reason: "customer_deleted", error: `${statusCode}: ${message}`.slice(0, 500) };
  return { kind: "rejected", error: `${statusCode}: ${message}`.slice(0, 500) };
}

async function sendOne(stripe: Stripe, report: MeterSend, eventName: string): Promise<Outcome> {
  try {
    const event = await stripe.billing.meterEvents.create(
      {
        event_name: eventName,
        payload: { stripe_customer_id: report.customer, value: report.value },
        identifier: report.identifier,
        timestamp: report.epoch + LAST_SECOND_OF_HOUR,
      },
      { idempotencyKey: report.identifier },
    );
    if (event.identifier !== report.identifier) {
      return { kind: "rejected", error: `Stripe answered with event ${event.identifier} instead of ${report.identifier}` };
    }
    return { kind: "confirmed" };
  } catch (error) {
    return outcomeOf(error);
  }
}

/**
 * Runs what it is given with at most `parallel` running at once, in the order given; `load` is
 * how many are running or waiting.
 */
export interface Limiter {
  <R>(fn: () => Promise<R>): Promise<R>;
  readonly load: number;
}

/** A Limiter; `released` is called each time one of its tasks ends. */
export function limiter(parallel: number, released: () => void = () => {}): Limiter {
  let running = 0;
  const waiting: (() => void)[] = [];
  const run = async <R>(fn: () => Promise<R>): Promise<R> => {
    if (running < parallel) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
      released();
    }
  };
  return Object.defineProperty(run, "load", { get: () => running + waiting.length }) as Limiter;
}

// Per open (pending or sent) report: where its hour goes (the pre-aggregated meter when the
// tenant switched at or before it) and, for such an hour, its running total and newest report.
// The running total is what Stripe should count for the hour: the sum of its confirmed, pending
// and sent reports. A rejected report is left out: Stripe refused its event, so the hour holds
// none of it there, and it is never sent again (finance settles it, docs/operations.md). On a
// pre-aggregated meter every report the refused total carried is rejected with it
// (meter-error-report.ts), so a later total for the hour (late usage) carries only what came
// after. An unbillable report is left out too: no invoice can include it. The identifier is that of the newest counted
// report, so a refused event's identifier is never reused for another value.
const openReports = (sql: Sql, tenantId: string) => sql<OpenReport[]>`
  with hours as (
    select distinct meter, hour from meter_reports where tenant_id = ${tenantId} and state in ('pending', 'sent')
  ), r as (
    select r.*, sum(r.quantity) over w as hour_total,
      first_value(r.identifier) over (partition by r.meter, r.hour order by r.seq desc) as hour_last
    from meter_reports r join hours h on h.meter = r.meter and h.hour = r.hour
    where r.tenant_id = ${tenantId} and r.state in ('confirmed', 'pending', 'sent')
    window w as (partition by r.meter, r.hour)
  )
  select r.identifier, r.meter, r.quantity::text as quantity, r.stripe_customer_id as customer,
    extract(epoch from r.hour)::float8 as epoch, coalesce(a.hourly_meters_from <= r.hour, false) as preaggregated,
    case when a.hourly_meters_from <= r.hour then m.hourly_event_name else m.event_name end as "eventName",
    r.hour_total::text as "hourTotal", r.hour_last as "hourLastIdentifier",
    extract(epoch from a.subscription_started_at)::float8 as "subscriptionStart",
    r.state = 'sent' and r.sent_at = now() as "markedSent"
  from r left join stripe_meters m on m.meter = r.meter
  left join billing_accounts a on a.tenant_id = r.tenant_id
  where r.state in ('pending', 'sent')
  order by r.created_at, r.meter, r.hour, r.seq`;

/**
 * Marks the reports the sends cover sent (but those the plan created so): committed with the
 * transaction, before the requests leave. Started at once (`execute`), so a COMMIT sent after the
 * call goes out after it.
 */
async function markSent(sql: Sql, tenantId: string, sends: readonly MeterSend[]): Promise<void> {
  const unmarked = sends.flatMap((s) => s.covers.filter((r) => !r.markedSent).map((r) => r.identifier));
  if (unmarked.length === 0) return;
  const identifiers = pgArray(unmarked);
  await sql`
    update meter_reports set state = 'sent', attempts = attempts + 1, sent_at = now()
    where tenant_id = ${tenantId} and identifier = any(${identifiers}::text[]) and state in ('pending','sent')`.execute();
}

/** A tenant's sync so far: what was planned and sent, and the sends that failed for now. */
export interface TenantSync {
  readonly plan: PlanResult;
  readonly sent: SendResult;
  /** Sends that failed for now (they stay sent), as `identifier: error`. */
  readonly transient: readonly string[];
}

/**
 * A tenant's sync: plans its reports (when `plan`, for the hours closed at its `now`), then sends
 * its pending and sent reports (never confirmed, rejected or unbillable), oldest first, through
 * `limit`, which other tenants may share. Planning, setting aside what no invoice can include (too old for Stripe, before the
 * subscription: unbillable, never sent) and marking the first chunk sent are one transaction,
 * committed before any request leaves; each later chunk is marked sent (committed) before its
 * requests leave too, and Stripe's answers are recorded per chunk in one transaction. A refused
 * report (4xx) keeps its error and the others go on (one whose customer Stripe does not know
 * becomes unbillable); a transient failure keeps the report sent and is returned after the rest
 * were sent.
 */
export async function syncTenantReports(
  deps: { db: Db; stripe: Stripe },
  input: {
    tenantId: string;
    /** When the sends are decided: what is too old for Stripe by now. */
    now: Date;
    /** Plans first, the hours closed at the run's time; none when absent. */
    plan?: { now: Date };
  },
  limit: Limiter,
  hooks: {
    heartbeat(): void;
    /** Called once the planning transaction has committed and the first requests are in `limit`. */
    planned?(): void;
  },
): Promise<TenantSync> {
  const { tenantId, now } = input;
  const first = await withTenantSql(deps.db.sql, { tenantId }, async (sql, commit) => {
    // BEGIN, the plan and the read of the open reports (which sees the planned ones) go out together.
    const [plan, candidates] = await Promise.all([
      input.plan ? planTenantReports(sql, tenantId, { ...input.plan, sendNow: SEND_CHUNK }) : { created: 0, quantityByMeter: {} },
      openReports(sql, tenantId).execute(),
    ]);
    // Decided per hour (every report of an hour has the same event time), before anything is sent.
    const setAside = candidates.flatMap((r) => {
      const reason = unsendableReason({ eventTime: r.epoch + LAST_SECOND_OF_HOUR, subscriptionStart: r.subscriptionStart }, now);
      return reason ? [{ identifier: r.identifier, reason }] : [];
    });
    const asideIds = new Set(setAside.map((r) => r.identifier));
    const open = candidates.filter((r) => !asideIds.has(r.identifier));
    const unsynced = [...new Set(open.filter((r) => !r.eventName).map((r) => (r.preaggregated ? `${r.meter} (hourly)` : r.meter)))];
    const sends = unsynced.length > 0 ? [] : sendsOf(open);
    // The unbillable marks, the sent marks and the COMMIT go out together. Nothing is sent while
    // a meter is unknown: the reports the plan created marked sent are marked pending again.
    await Promise.all([
      markUnbillable(sql, tenantId, setAside),
      unsynced.length > 0
        ? sql`
            update meter_reports set state = 'pending', attempts = 0, sent_at = null
            where tenant_id = ${tenantId} and state = 'sent' and sent_at = now()`.execute()
        : markSent(sql, tenantId, sends.slice(0, SEND_CHUNK)),
      commit(),
    ]);
    return { plan, unbillable: setAside.length, unsynced, sends };
  });
  if (first.unsynced.length > 0) {
    throw new AppError(
      "CONFLICT",
      `No Stripe meter is known for ${first.unsynced.join(", ")}: run the catalogue sync (npm run billing:sync-catalogue) first.`,
      { meters: first.unsynced },
    );
  }
  const { sends } = first;
  const quantityByMeter: MeterQuantities = {};
  const rejected: RejectedReport[] = [];
  const transient: string[] = [];
  let confirmed = 0;
  let unbillable = first.unbillable;
  for (let i = 0; i < sends.length; i += SEND_CHUNK) {
    const chunk = sends.slice(i, i + SEND_CHUNK);
    if (i > 0) await withTenantSql(deps.db.sql, { tenantId }, (sql, commit) => Promise.all([markSent(sql, tenantId, chunk), commit()]));
    const requests = chunk.map((report) =>
      limit(async () => {
        const outcome = await sendOne(deps.stripe, report, report.eventName ?? "");
        hooks.heartbeat();
        return outcome;
      }),
    );
    if (i === 0) hooks.planned?.();
    const outcomes = await Promise.all(requests);
    const done = chunk.filter((_, k) => outcomes[k]?.kind === "confirmed").flatMap((s) => s.covers.map((r) => ({ ...r, meter: s.meter })));
    const failed = chunk.flatMap((send, k) => {
      const o = outcomes[k];
      return o && (o.kind === "rejected" || o.kind === "transient")
        ? send.covers.map((r) => ({ identifier: r.identifier, error: o.error }))
        : [];
    });
    // Stripe does not know the customer: every report the send covers becomes unbillable.
    const missing = chunk.flatMap((send, k) => {
      const o = outcomes[k];
      return o?.kind === "unbillable" ? send.covers.map((r) => ({ identifier: r.identifier, reason: o.reason, error: o.error })) : [];
    });
    // Stripe's answers, in one transaction whose statements (BEGIN and COMMIT included) go out together.
    await withTenantSql(deps.db.sql, { tenantId }, (sql, commit) =>
      Promise.all([
        done.length > 0
          ? sql`
              update meter_reports set state = 'confirmed', confirmed_at = now(), last_error = null
              where tenant_id = ${tenantId} and identifier = any(${pgArray(done.map((r) => r.identifier))}::text[]) and state in ('pending','sent')`.execute()
          : undefined,
        failed.length > 0
          ? sql`
              update meter_reports m set last_error = f.error
              from jsonb_to_recordset(${JSON.stringify(failed)}::jsonb) as f(identifier text, error text)
              where m.tenant_id = ${tenantId} and m.identifier = f.identifier and m.state in ('pending','sent')`.execute()
          : undefined,
        markUnbillable(sql, tenantId, missing),
        commit(),
      ]),
    );
    unbillable += missing.length;
    confirmed += done.length;
    for (const r of done) addTo(quantityByMeter, r.meter, toQuantity(r.quantity));
    chunk.forEach((report, k) => {
      const o = outcomes[k];
      if (o?.kind === "rejected") rejected.push({ tenantId, identifier: report.identifier, error: o.error });
      if (o?.kind === "transient") transient.push(`${report.identifier}: ${o.error}`);
    });
  }
  return { plan: first.plan, sent: { confirmed, unbillable, quantityByMeter, rejected }, transient };
}

/** The error a tenant's sync with failures for now ends with, for a retry. */
export function transientError(transient: readonly string[]): TransientSendError {
  return new TransientSendError(
    `${transient.length} meter event(s) not confirmed by Stripe yet (${transient[0]}); they will be sent again.`,
  );
}

/**
 * Sends a tenant's pending and sent reports with at most SEND_PARALLELISM requests in flight
 * (syncTenantReports without planning); throws a TransientSendError after the rest were sent
 * when some failed for now, for a retry.
 */
export async function sendReports(
  deps: { db: Db; stripe: Stripe },
  input: { tenantId: string; now?: Date },
  hooks: { heartbeat(): void } = { heartbeat: () => {} },
): Promise<SendResult> {
  const run = { tenantId: input.tenantId, now: input.now ?? new Date() };
  const result = await syncTenantReports(deps, run, limiter(SEND_PARALLELISM), hooks);
  if (result.transient.length > 0) throw transientError(result.transient);
  return result.sent;
}

/** The sync workflow's input: `now` fixes which hours are closed for the whole run. */
export interface UsageSyncInput {
  readonly now?: string;
  /** Continued runs: the last tenant done and the counts so far. */
  readonly after?: string;
  readonly totals?: UsageSyncResult;
  readonly failures?: readonly string[];
  readonly failed?: number;
}

export interface UsageSyncResult {
  readonly tenants: number;
  readonly reportsCreated: number;
  readonly reportsConfirmed: number;
  readonly quantityByMeter: MeterQuantities;
  /** Reports Stripe refused; they are tried again on the next run. */
  readonly rejected: readonly RejectedReport[];
}
