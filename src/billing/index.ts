export { assertTenantCanWrite, checkCountLimit, checkPlanQuota, usageRecorded } from "./quotas.js";
export { createStripe } from "./stripe.js";
export { recordUsage } from "./usage.js";
export { ensureUsageSyncSchedule } from "./usage-schedule.js";
export { createUsageSyncActivities } from "./usage-sync-activities.js";
