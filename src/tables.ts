/** Every table, for drizzle-kit and for typed queries. */
export * from "./alerts/schema.js";
export * from "./assets/schema.js";
export * from "./audit/schema.js";
export * from "./auth/schema.js";
export * from "./billing/schema.js";
export * from "./maintenance/schema.js";
export * from "./mlops/schema.js";
export * from "./models/schema.js";
export * from "./operators/schema.js";
export * from "./telemetry/schema.js";
export * from "./tenancy/schema.js";
