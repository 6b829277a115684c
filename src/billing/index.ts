export type { BillingState } from "./account.js";
export { assertCanWrite, billingState } from "./account.js";
export { DEFAULT_MAX_SERIES, seriesBudget } from "./plans.js";
export { checkDailyQuota, dailyLimit } from "./quotas.js";
export { applyIngestRollups, recordIngestUsage } from "./usage.js";
