import { ApplicationFailure, Context } from "@temporalio/activity";
import type Stripe from "stripe";
import { AppError } from "../core/errors.js";
import type { Db } from "../db/client.js";
import { type SendResult, sendReports, tenantsToSync } from "./usage-sync.js";
import { type PlanResult, planReports } from "./usage-sync-plan.js";
import { syncTenants, type TenantSyncOutcome } from "./usage-sync-tenants.js";

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
 * The usage sync's activities: list the tenants, then plan and send several tenants' reports in
 * one (syncUsageTenants). Planning and sending one tenant's (planUsageReports, sendUsageReports)
 * are what runs begun before syncUsageTenants existed still call.
 */
export function createUsageSyncActivities(deps: UsageSyncDeps) {
  return {
    async listUsageSyncTenants(input: { now: string; after?: string; limit: number }): Promise<string[]> {
      return tenantsToSync(deps.db, { now: new Date(input.now), limit: input.limit, ...(input.after ? { after: input.after } : {}) });
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
      const context = Context.current();
      return syncTenants(
        deps,
        { tenantIds: input.tenantIds, now: new Date(input.now) },
        { heartbeat: everySecond(() => context.heartbeat()) },
      );
    },

    async sendUsageReports(input: { tenantId: string }): Promise<SendResult> {
      const context = Context.current();
      try {
        return await sendReports(deps, input, { heartbeat: everySecond(() => context.heartbeat()) });
      } catch (error) {
        return nonRetryable(error);
      }
    },
  };
}

export type UsageSyncActivities = ReturnType<typeof createUsageSyncActivities>;
