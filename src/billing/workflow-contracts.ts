import { workflowType } from "../temporal/workflow-type.js";
import type { UsageSyncInput, UsageSyncResult } from "./usage-sync.js";

/**
 * The usage sync workflow as clients start it: its function type, which the workflow code
 * (workflows/) implements, and its registered name typed by it (checked by the worker,
 * src/worker/workflow-types.ts).
 */

/** Reports every tenant's usage of closed hours to Stripe; continues as new with its totals so far. */
export type SyncUsageWorkflow = (input?: UsageSyncInput) => Promise<UsageSyncResult>;

export const SYNC_USAGE = workflowType<SyncUsageWorkflow, "syncUsage">("syncUsage");
