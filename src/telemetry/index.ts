export type { TelemetryStore } from "./store.js";
