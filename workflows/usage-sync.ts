import { ApplicationFailure, continueAsNew, patched, proxyActivities, sleep, workflowInfo } from "@temporalio/workflow";
import type {
  MeterQuantities,
  PlanResult,
  SendResult,
  SyncUsageWorkflow,
  TenantSyncOutcome,
  UsagePage,
  UsageSyncActivities,
  UsageSyncResult,
} from "../src/billing/index.js";

const quick = proxyActivities<UsageSyncActivities>({
  startToCloseTimeout: "5 minutes",
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds", maximumAttempts: 10 },
});

/**
 * Sending waits on Stripe: it heartbeats while it sends (at most once a second), so a crashed worker is noticed
 * quickly (and retried; a tenant that failed for now is retried by the workflow, see syncPage).
 */
const sending = proxyActivities<UsageSyncActivities>({
  startToCloseTimeout: "30 minutes",
  heartbeatTimeout: "15 seconds",
  retry: { initialInterval: "1 second", maximumInterval: "1 minute", maximumAttempts: 20 },
});

/** Tenants listed per page: one syncUsageTenants activity plans and sends them all. */
export const TENANT_PAGE = 100;
/** Tenants synced at once by runs begun before the page activity (one activity per tenant and step). */
export const TENANT_PARALLELISM = 8;
/** Runs begun before this marker sync each tenant in two activities of their own. */
const PAGE_ACTIVITY = "usage-sync-page-activity";
/** Runs begun before this marker list each page in an activity of its own (listUsageSyncTenants). */
const LISTED_IN_PAGE = "usage-sync-listed-in-page";
/** Attempts at a tenant whose sync failed for now, and the pause before the next (the sending policy's). */
const TENANT_ATTEMPTS = 20;
const retryPause = (attempt: number): number => Math.min(1_000 * 2 ** (attempt - 1), 60_000);

type TenantOutcome = { tenantId: string; plan: PlanResult; sent: SendResult } | { tenantId: string; error: string };

/** The innermost cause's message: an activity's own error rather than "Activity task failed". */
function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

async function syncTenant(tenantId: string, now: string): Promise<TenantOutcome> {
  try {
    const plan = await quick.planUsageReports({ tenantId, now });
    const sent = await sending.sendUsageReports({ tenantId });
    return { tenantId, plan, sent };
  } catch (error) {
    return { tenantId, error: rootMessage(error) };
  }
}

/** Per tenant, what all attempts did (each confirms what the ones before left), with the last attempt's rejections. */
function merged(before: TenantSyncOutcome | undefined, now: TenantSyncOutcome): TenantSyncOutcome {
  if (!before) return now;
  return {
    ...now,
    created: before.created + now.created,
    confirmed: before.confirmed + now.confirmed,
    unbillable: before.unbillable + now.unbillable,
    quantityByMeter: add(before.quantityByMeter, now.quantityByMeter),
  };
}

/**
 * A page's tenants in one activity (planned and sent, sharing one pool of requests to Stripe);
 * the tenants that failed for now are tried again, alone, after a pause, up to TENANT_ATTEMPTS.
 * `first`: what the first attempt did, when the activity that listed the page made it.
 */
async function syncPage(page: readonly string[], now: string, first?: TenantSyncOutcome[]): Promise<TenantOutcome[]> {
  const done = new Map<string, TenantOutcome>();
  const sums = new Map<string, TenantSyncOutcome>();
  let pending = [...page];
  for (let attempt = 1; pending.length > 0; attempt++) {
    let outcomes: TenantSyncOutcome[];
    try {
      outcomes = attempt === 1 && first ? first : await sending.syncUsageTenants({ tenantIds: pending, now });
    } catch (error) {
      for (const tenantId of pending) done.set(tenantId, { tenantId, error: rootMessage(error) });
      break;
    }
    const again: string[] = [];
    for (const o of outcomes) {
      const sum = merged(sums.get(o.tenantId), o);
      sums.set(o.tenantId, sum);
      if (o.error === undefined) {
        done.set(o.tenantId, {
          tenantId: o.tenantId,
          plan: { created: sum.created, quantityByMeter: {} },
          sent: { confirmed: sum.confirmed, unbillable: sum.unbillable, quantityByMeter: sum.quantityByMeter, rejected: o.rejected },
        });
      } else if (o.retry && attempt < TENANT_ATTEMPTS) {
        again.push(o.tenantId);
      } else {
        done.set(o.tenantId, { tenantId: o.tenantId, error: o.error });
      }
    }
    pending = again;
    if (pending.length > 0) await sleep(retryPause(attempt));
  }
  return page.flatMap((tenantId) => done.get(tenantId) ?? []);
}

/** A page that could not be listed: the tenants after `after` (every tenant, without it) are unknown. */
export interface Unlisted {
  readonly after?: string;
  readonly error: string;
}

/**
 * Why a run failed, or undefined when it did not: `failed` tenants (the first few named in
 * `failures`) and, when a page could not be listed, the tenants from there on, whose number is unknown.
 */
export function syncFailure(failed: number, failures: readonly string[], unlisted?: Unlisted): string | undefined {
  if (failed === 0 && !unlisted) return undefined;
  const whose = [
    ...(failed > 0 ? [`${failed} tenant(s)`] : []),
    ...(unlisted ? [unlisted.after ? `the tenants after ${unlisted.after}` : "every tenant"] : []),
  ].join(" and of ");
  const causes = [...failures, ...(unlisted ? [`listing the tenants: ${unlisted.error}`] : [])];
  return `Usage of ${whose} was not synced; the next run takes it up. ${causes.join("; ")}`;
}

function add(into: MeterQuantities, from: MeterQuantities): MeterQuantities {
  const out: MeterQuantities = { ...into };
  for (const [meter, quantity] of Object.entries(from) as [keyof MeterQuantities, number][]) out[meter] = (out[meter] ?? 0) + quantity;
  return out;
}

/**
 * Reports every tenant's usage of closed hours to Stripe: per page of tenants, one activity lists
 * the page, plans each tenant's meter reports and sends them, the page's requests sharing one pool
 * (syncPage), and says whether more tenants follow. A tenant whose sync failed does not stop the others;
 * the run fails at the end, naming it, and the next run picks its reports up again.
 */
export const syncUsage: SyncUsageWorkflow = async (input = {}) => {
  const now = input.now ?? new Date().toISOString();
  let totals: UsageSyncResult = input.totals ?? { tenants: 0, reportsCreated: 0, reportsConfirmed: 0, quantityByMeter: {}, rejected: [] };
  // The first few failures are kept for the message; all are counted.
  const failures: string[] = [...(input.failures ?? [])];
  let failed = input.failed ?? failures.length;
  let after = input.after;
  let unlisted: Unlisted | undefined;
  for (;;) {
    let page: string[];
    let more: boolean;
    const outcomes: TenantOutcome[] = [];
    if (patched(LISTED_IN_PAGE)) {
      let listed: UsagePage;
      try {
        listed = await sending.syncUsagePage({ now, limit: TENANT_PAGE, ...(after ? { after } : {}) });
      } catch (error) {
        // The page is unknown, so are the ones after it: the next run takes them up.
        unlisted = { ...(after ? { after } : {}), error: rootMessage(error) };
        break;
      }
      page = listed.tenantIds;
      more = listed.more;
      outcomes.push(...(await syncPage(page, now, listed.outcomes)));
    } else {
      const listed = await quick.listUsageSyncTenants({ now, limit: TENANT_PAGE, ...(after ? { after } : {}) });
      page = listed;
      more = listed.length >= TENANT_PAGE;
      if (patched(PAGE_ACTIVITY)) {
        outcomes.push(...(await syncPage(listed, now)));
      } else {
        let next = 0;
        await Promise.all(
          Array.from({ length: TENANT_PARALLELISM }, async () => {
            while (next < listed.length) {
              const tenantId = listed[next++] ?? "";
              outcomes.push(await syncTenant(tenantId, now));
            }
          }),
        );
      }
    }
    for (const o of outcomes) {
      if ("error" in o) {
        failed += 1;
        if (failures.length < 5) failures.push(`${o.tenantId}: ${o.error}`);
        totals = { ...totals, tenants: totals.tenants + 1 };
        continue;
      }
      totals = {
        tenants: totals.tenants + 1,
        reportsCreated: totals.reportsCreated + o.plan.created,
        reportsConfirmed: totals.reportsConfirmed + o.sent.confirmed,
        quantityByMeter: add(totals.quantityByMeter, o.sent.quantityByMeter),
        rejected: [...totals.rejected, ...o.sent.rejected],
      };
    }
    if (!more) break;
    after = page[page.length - 1];
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<SyncUsageWorkflow>({ now, totals, failures, failed, ...(after ? { after } : {}) });
    }
  }
  const message = syncFailure(failed, failures, unlisted);
  if (message) throw ApplicationFailure.nonRetryable(message, "USAGE_SYNC");
  return totals;
};
