import type Stripe from "stripe";
import { AppError } from "../core/errors.js";
import type { Db } from "../db/client.js";
import { limiter, pool, type RejectedReport, SYNC_IN_FLIGHT, syncTenantReports, transientError } from "./usage-sync.js";
import type { MeterQuantities } from "./usage-sync-plan.js";

/**
 * Several tenants' usage sync in one go (one activity of the syncUsage workflow): each tenant is
 * planned and sent as syncTenantReports does, in its own transactions, while their requests to
 * Stripe share one pool of SYNC_IN_FLIGHT: while one tenant waits for its last answers, the
 * next tenants' requests fill the free slots. A tenant's failure is its own outcome, never the
 * others'.
 */

/** Tenants whose transactions run at once; their requests queue in the shared pool. */
export const TENANTS_AT_ONCE = 16;

/** What one attempt at a tenant's sync did; `error` when it failed, `retry` when another attempt may succeed. */
export interface TenantSyncOutcome {
  readonly tenantId: string;
  readonly created: number;
  readonly confirmed: number;
  readonly unbillable: number;
  readonly quantityByMeter: MeterQuantities;
  readonly rejected: readonly RejectedReport[];
  readonly error?: string;
  readonly retry?: boolean;
}

/** The message of an error, and whether trying again may help (not for a business error). */
function failureOf(error: unknown): { error: string; retry: boolean } {
  return { error: error instanceof Error ? error.message : String(error), retry: !(error instanceof AppError) };
}

export async function syncTenants(
  deps: { db: Db; stripe: Stripe },
  input: { tenantIds: readonly string[]; now: Date },
  hooks: { heartbeat(): void } = { heartbeat: () => {} },
): Promise<TenantSyncOutcome[]> {
  const limit = limiter(SYNC_IN_FLIGHT);
  return pool(input.tenantIds, TENANTS_AT_ONCE, async (tenantId): Promise<TenantSyncOutcome> => {
    try {
      const { plan, sent, transient } = await syncTenantReports(
        deps,
        // The run's time decides which hours are closed; the clock, what is too old for Stripe now.
        { tenantId, now: new Date(), plan: { now: input.now } },
        limit,
        hooks,
      );
      hooks.heartbeat();
      const outcome = { tenantId, created: plan.created, ...sent };
      return transient.length > 0 ? { ...outcome, error: transientError(transient).message, retry: true } : outcome;
    } catch (error) {
      hooks.heartbeat();
      return { tenantId, created: 0, confirmed: 0, unbillable: 0, quantityByMeter: {}, rejected: [], ...failureOf(error) };
    }
  });
}
