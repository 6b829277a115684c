export type {
  Alert,
  Asset,
  AssetHealth,
  ClientOptions,
  Device,
  FleetEntry,
  IssuedDeviceToken,
  LatestValue,
  MaintenanceEvent,
  Prediction,
  TelemetryTable,
  UsageEntry,
  Webhook,
} from "./client.js";
export { createClient, PdmClient } from "./client.js";
export type { DocumentTypeDecoration, ResultOf, TypedDocument, VariablesOf } from "./document.js";
export type { ApiErrorCode, GraphQLErrorEntry } from "./errors.js";
export { PdmApiError } from "./errors.js";
/** Every operation of the SDK as a typed document, with its result and variables types. */
export * as documents from "./generated/graphql.js";
export type { Connection, PageVariables } from "./pagination.js";
export { collect, paginate } from "./pagination.js";
export type { FetchLike, FetchResponse, RetryOptions } from "./transport.js";
