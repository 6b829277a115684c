import { ApplicationFailure, Context } from "@temporalio/activity";
import type Stripe from "stripe";
import { AppError } from "../core/errors.js";
import type { Db } from "../db/client.js";
import { type SendResult, sendReports, tenantsToSync } from "./usage-sync.js";
import { type PlanResult, planReports } from "./usage-sync-plan.js";
import { syncTenants, type TenantSyncOutcome } from "./usage-sync-tenants.js";

/** A page of the usage sync: its tenants in order, what the first attempt at each did, and whether more follow. */
export interface UsagePage {
  readonly tenantIds: string[];
  readonly outcomes: TenantSyncOutcome[];
  readonly more: boolean;
}

export interface UsageSyncDeps {
  readonly db: Db;
  readonly stripe: Stripe;
}

/**
 * Calls `beat` at most once a second: a sync heartbeats after every request to Stripe, thousands
 * a minute, while the heartbeat timeout is 15 seconds.
 */
function everySecond(beat: () => void): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < 1_000) return;
    last = now;
    beat();
  };
}

/** A business error ends the activity for good; anything else is retried by the workflow's policy. */
function nonRetryable(error: unknown): never {
  if (error instanceof AppError) throw ApplicationFailure.nonRetryable(error.message, error.code, error.details);
  throw error;
}

/**
 * The usage sync's activities: list a page of tenants and plan and send their reports in one
 * (syncUsagePage), and again for those that failed for now (syncUsageTenants). Listing on its own
 * (listUsageSyncTenants), and planning and sending one tenant's (planUsageReports,
 * sendUsageReports), are what runs begun before syncUsagePage and syncUsageTenants existed still call.
 */
export function createUsageSyncActivities(deps: UsageSyncDeps) {
  const list = (input: { now: string; after?: string }, limit: number): Promise<string[]> =>
    tenantsToSync(deps.db, { now: new Date(input.now), limit, ...(input.after ? { after: input.after } : {}) });
  // In an activity: its heartbeat (with `details`), at most once a second.
  const heartbeat = (details?: unknown): (() => void) => {
    const context = Context.current();
    return everySecond(() => context.heartbeat(details));
  };
  const sync = (tenantIds: string[], now: string, details?: unknown): Promise<TenantSyncOutcome[]> =>
    syncTenants(deps, { tenantIds, now: new Date(now) }, { heartbeat: heartbeat(details) });

  return {
    async listUsageSyncTenants(input: { now: string; after?: string; limit: number }): Promise<string[]> {
      return list(input, input.limit);
    },

    async planUsageReports(input: { tenantId: string; now: string }): Promise<PlanResult> {
      try {
        return await planReports(deps, { tenantId: input.tenantId, now: new Date(input.now) });
      } catch (error) {
        return nonRetryable(error);
      }
    },

    /** Plans and sends the tenants' reports; each tenant's failure is its outcome. Heartbeats while it sends. */
    async syncUsageTenants(input: { tenantIds: string[]; now: string }): Promise<TenantSyncOutcome[]> {
      return sync(input.tenantIds, input.now);
    },

    /**
     * Lists the next page of tenants to sync (`limit` of them, after `after`) and plans and sends
     * their reports (syncUsageTenants); `more` says whether tenants are left after the page. The
     * page travels in the heartbeats, so a retry (a worker died) syncs the page the first attempt
     * listed, the tenants that attempt finished included, rather than those left to do by then.
     */
    async syncUsagePage(input: { now: string; after?: string; limit: number }): Promise<UsagePage> {
      const context = Context.current();
      let page = context.info.heartbeatDetails as Omit<UsagePage, "outcomes"> | undefined;
      if (!page) {
        const listed = await list(input, input.limit + 1);
        page = { tenantIds: listed.slice(0, input.limit), more: listed.length > input.limit };
        context.heartbeat(page);
      }
      return { ...page, outcomes: await sync(page.tenantIds, input.now, page) };
    },

    async sendUsageReports(input: { tenantId: string }): Promise<SendResult> {
      try {
        return await sendReports(deps, input, { heartbeat: heartbeat() });
      } catch (error) {
        return nonRetryable(error);
      }
    },
  };
}

export type UsageSyncActivities = ReturnType<typeof createUsageSyncActivities>;
