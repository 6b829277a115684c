// Telemetry's public face: what other capabilities and the edge may use.
export { applyRetention } from "./retention.js";
export type { TelemetryStore } from "./store.js";
