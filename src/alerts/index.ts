export type { Alert } from "./alerts.js";
export { type AlertActivities, createAlertActivities, type DeliveryDeps, type DeliveryRef } from "./delivery.js";
export type { AlertStreamDeps, AlertsDeps, AlertsServices } from "./deps.js";
export { type AlertHub, createAlertHub } from "./hub.js";
export { type AnomalyScoreForAlerts, applyAnomalyRule, applyRulRule, type RulScoreForAlerts } from "./raise.js";
export { DELIVER_ALERT, type DeliverAlertWorkflow, type DeliveryOutcome } from "./workflow-contracts.js";
