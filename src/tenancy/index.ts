export type { TelemetryLimits } from "./telemetry-lookups.js";
export { telemetryLimits } from "./telemetry-lookups.js";
