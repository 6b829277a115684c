// Telemetry's public face: what other capabilities and the edge may use (its GraphQL face is
// graphql.ts and fleet-graphql.ts, registered by the edge).

export type { DevicePrincipal } from "../core/context.js";
export { BridgeIdentityTakenError } from "./bridge-leases.js";
export type { DeviceContext, IngestDeps, TelemetryDeps, TelemetryServices, TelemetrySettings } from "./deps.js";
export { registerExportRoute } from "./http-export.js";
export { registerIngestRoutes } from "./http-ingest.js";
export { registerQueryRoute } from "./http-query.js";
export { createInfluxStore, type InfluxOptions } from "./influx/store.js";
export type { QueryCharge } from "./influxql-query.js";
export { authenticateDevice, findDevice, type IngestResult, type IngestSource, ingest, MAX_FUTURE_MS } from "./ingest.js";
export { connectMqttAdmin, type MqttAdmin } from "./mqtt-admin.js";
export { type MqttBridge, startMqttBridge } from "./mqtt-bridge.js";
export { MAX_VALUES } from "./queries.js";
export { applyRetention } from "./retention.js";
export { type RollupLoop, startRollupLoop } from "./rollup-loop.js";
export { createSeriesCache, type SeriesCache } from "./series.js";
export type {
  FieldValue,
  LatestPoint,
  PointColumns,
  RangeQuery,
  RollupRecompute,
  SeriesSelector,
  StoreAggregate,
  StorePrecision,
  StreamChunk,
  StreamQuery,
  TelemetryStore,
  WindowQuery,
  WindowSpan,
} from "./store.js";
export { StoreRefusedError, StoreUnavailableError } from "./store.js";
export { createScopeCache, type ScopeCache } from "./targets.js";
