import type Stripe from "stripe";
import { AppError } from "../core/errors.js";
import type { Db } from "../db/client.js";
import { limiter, type RejectedReport, SYNC_IN_FLIGHT, syncTenantReports, transientError } from "./usage-sync.js";
import type { MeterQuantities } from "./usage-sync-plan.js";

/**
 * Several tenants' usage sync in one go (one activity of the syncUsage workflow): each tenant is
 * planned and sent as syncTenantReports does, in its own transactions, while their requests to
 * Stripe share one pool of SYNC_IN_FLIGHT. The next tenant starts while the pool holds fewer
 * requests than it can keep busy for the time a plan takes (TENANT_ADMISSION.load, running or
 * waiting), with few plans at once: tenants with many hours run a few at a time, and their transactions do
 * not take turns with each other for the database; tenants with an hour each run many at a time,
 * so the pool stays full. A tenant's failure is its own outcome, never the others'.
 */

/** When the next tenant may start: the limits of admitted(). */
export interface AdmissionLimits {
  /** Tenants planning at once (in their first transaction). */
  readonly planning: number;
  /** Tenants under way at once. */
  readonly active: number;
  /** Requests running or waiting in the shared pool at or above which no tenant starts. */
  readonly load: number;
}

export const TENANT_ADMISSION: AdmissionLimits = { planning: 2, active: 16, load: 2 * SYNC_IN_FLIGHT };

/**
 * Runs `fn` over `items` in their order, starting the next whenever the limits allow: fewer than
 * `planning` calls have not called their `planned` yet, fewer than `active` are under way, and
 * `load()` is below `load` (or nothing is under way). `wake` must be called when `load()` may have
 * fallen. A call's `planned` may be called more than once; the end of a call counts as it. The
 * results come in the items' order; `fn` must not reject.
 */
export function admitted<T, R>(
  items: readonly T[],
  limits: AdmissionLimits,
  load: () => number,
  fn: (item: T, planned: () => void) => Promise<R>,
): { readonly done: Promise<R[]>; wake(): void } {
  const results = new Array<R>(items.length);
  let next = 0;
  let planning = 0;
  let active = 0;
  let finish: () => void = () => {};
  const done = new Promise<R[]>((resolve) => {
    finish = () => resolve(results);
  });
  const wake = (): void => {
    if (next >= items.length && active === 0) finish();
    while (next < items.length && planning < limits.planning && active < limits.active && (active === 0 || load() < limits.load)) {
      const k = next++;
      planning += 1;
      active += 1;
      let planEnded = false;
      const planned = (): void => {
        if (planEnded) return;
        planEnded = true;
        planning -= 1;
        wake();
      };
      void fn(items[k] as T, planned).then((result) => {
        results[k] = result;
        active -= 1;
        planEnded ? wake() : planned();
      });
    }
  };
  return { done, wake };
}

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
  let wake = (): void => {};
  const limit = limiter(SYNC_IN_FLIGHT, () => wake());
  const run = admitted(
    input.tenantIds,
    TENANT_ADMISSION,
    () => limit.load,
    async (tenantId, planned): Promise<TenantSyncOutcome> => {
      try {
        const { plan, sent, transient } = await syncTenantReports(
          deps,
          // The run's time decides which hours are closed; the clock, what is too old for Stripe now.
          { tenantId, now: new Date(), plan: { now: input.now } },
          limit,
          { heartbeat: hooks.heartbeat, planned },
        );
        hooks.heartbeat();
        const outcome = { tenantId, created: plan.created, ...sent };
        return transient.length > 0 ? { ...outcome, error: transientError(transient).message, retry: true } : outcome;
      } catch (error) {
        hooks.heartbeat();
        return { tenantId, created: 0, confirmed: 0, unbillable: 0, quantityByMeter: {}, rejected: [], ...failureOf(error) };
      }
    },
  );
  wake = run.wake;
  run.wake();
  return run.done;
}
