import { ApplicationFailure, continueAsNew, proxyActivities, workflowInfo } from "@temporalio/workflow";
import type {
  MeterQuantities,
  PlanResult,
  SendResult,
  SyncUsageWorkflow,
  UsageSyncActivities,
  UsageSyncResult,
} from "../src/billing/index.js";

const quick = proxyActivities<UsageSyncActivities>({
  startToCloseTimeout: "5 minutes",
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds", maximumAttempts: 10 },
});

/** Sending waits on Stripe: it heartbeats after each request, so a crashed worker is noticed quickly. */
const sending = proxyActivities<UsageSyncActivities>({
  startToCloseTimeout: "30 minutes",
  heartbeatTimeout: "15 seconds",
  retry: { initialInterval: "1 second", maximumInterval: "1 minute", maximumAttempts: 20 },
});

/** Tenants listed per page, and synced at once. */
export const TENANT_PAGE = 100;
export const TENANT_PARALLELISM = 8;

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

function add(into: MeterQuantities, from: MeterQuantities): MeterQuantities {
  const out: MeterQuantities = { ...into };
  for (const [meter, quantity] of Object.entries(from) as [keyof MeterQuantities, number][]) out[meter] = (out[meter] ?? 0) + quantity;
  return out;
}

/**
 * Reports every tenant's usage of closed hours to Stripe: per tenant, plan the meter reports,
 * then send them (a few tenants at a time). A tenant whose sync failed does not stop the others;
 * the run fails at the end, naming it, and the next run picks its reports up again.
 */
export const syncUsage: SyncUsageWorkflow = async (input = {}) => {
  const now = input.now ?? new Date().toISOString();
  let totals: UsageSyncResult = input.totals ?? { tenants: 0, reportsCreated: 0, reportsConfirmed: 0, quantityByMeter: {}, rejected: [] };
  // The first few failures are kept for the message; all are counted.
  const failures: string[] = [...(input.failures ?? [])];
  let failed = input.failed ?? failures.length;
  let after = input.after;
  for (;;) {
    const page = await quick.listUsageSyncTenants({ now, limit: TENANT_PAGE, ...(after ? { after } : {}) });
    const outcomes: TenantOutcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: TENANT_PARALLELISM }, async () => {
        while (next < page.length) {
          const tenantId = page[next++] ?? "";
          outcomes.push(await syncTenant(tenantId, now));
        }
      }),
    );
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
    if (page.length < TENANT_PAGE) break;
    after = page[page.length - 1];
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<SyncUsageWorkflow>({ now, totals, failures, failed, ...(after ? { after } : {}) });
    }
  }
  if (failed > 0) {
    throw ApplicationFailure.nonRetryable(`Usage of ${failed} tenant(s) was not synced: ${failures.join("; ")}`, "USAGE_SYNC");
  }
  return totals;
};
