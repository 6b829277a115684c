export { createAlertActivities } from "./delivery.js";
export { applyAnomalyRule, applyRulRule } from "./raise.js";
