export type { TenancyDeps, TenancyServices } from "./deps.js";
export type { Member } from "./members.js";
export { publicUserColumns } from "./members.js";
export { SIGN_UP_ACCEPTED } from "./sign-up.js";
export type { TelemetryLimits } from "./telemetry-lookups.js";
export { telemetryLimits } from "./telemetry-lookups.js";
export { getTenant, type Tenant } from "./tenant.js";
