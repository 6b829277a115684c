// Billing's public face: what other capabilities, the edge, scripts and workflows may use.
export type { BillingState, BillingStatus, Plan } from "./account.js";
export { assertCanWrite, billingState } from "./account.js";
export { syncCatalogue } from "./catalogue.js";
export type { BillingDeps, BillingServices, CheckoutDeps, RetentionChanged, StripeDeps, WebhookDeps } from "./deps.js";
export { type PrincipalOf, registerBillingExportRoutes } from "./export-routes.js";
export { DEFAULT_MAX_SERIES, seriesBudget } from "./plans.js";
export {
  assertTenantCanWrite,
  billingWriteGate,
  checkCountLimit,
  checkDailyQuota,
  checkPlanQuota,
  dailyLimit,
  usageRecorded,
} from "./quotas.js";
export { createStripe } from "./stripe.js";
export { applyIngestRollups, type IngestUsage, recordIngestUsage, recordUsage, type UsageInput } from "./usage.js";
export { ensureUsageSyncSchedule, runUsageSync } from "./usage-schedule.js";
export type { SendResult, UsageSyncInput, UsageSyncResult } from "./usage-sync.js";
export { createUsageSyncActivities, type UsagePage, type UsageSyncActivities } from "./usage-sync-activities.js";
export type { MeterQuantities, PlanResult } from "./usage-sync-plan.js";
export type { TenantSyncOutcome } from "./usage-sync-tenants.js";
export { registerStripeWebhookRoute } from "./webhook-route.js";
export { SYNC_USAGE, type SyncUsageWorkflow } from "./workflow-contracts.js";
