import type { syncUsage } from "./usage-sync.js";
import { workflowType } from "./workflow-type.js";

/** The usage sync, apart from the other workflow types: billing starts it and the mlops verbs use billing. */
export const SYNC_USAGE = workflowType<typeof syncUsage, "syncUsage">("syncUsage");
