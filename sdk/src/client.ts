import type { TypedDocument } from "./document.js";
import * as ops from "./generated/graphql.js";
import { type Connection, type PageVariables, paginate } from "./pagination.js";
import { type FetchLike, type RetryOptions, send, type TransportOptions } from "./transport.js";

export interface ClientOptions {
  /** The API's address, e.g. "https://api.example.com" (the client posts to its /graphql), or the /graphql URL itself. */
  readonly url: string;
  /** A partner API key's secret (createApiKey); its scopes decide what the client may do. */
  readonly apiKey?: string;
  /** Or a member's access token (signIn). */
  readonly token?: string;
  /** Default: the global fetch of Node 20+ (or the browser's). */
  readonly fetch?: FetchLike;
  /** RATE_LIMITED answers are sent again after the Retry-After the API names, within these bounds. */
  readonly retry?: RetryOptions;
  /** Extra headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The variables argument: optional when the operation needs none. */
type VariablesArg<V> = Record<string, never> extends V ? [variables?: V] : [variables: V];

type Node<C> = C extends Connection<infer N> ? N : never;

export type FleetEntry = Node<ops.FleetOverviewQuery["fleetOverview"]>;
export type Asset = ops.AssetQuery["asset"];
export type AssetHealth = ops.AssetHealthQuery["assetHealth"];
export type Prediction = ops.PredictionFieldsFragment;
export type Alert = ops.AlertFieldsFragment;
export type Device = ops.DeviceFieldsFragment;
export type IssuedDeviceToken = ops.IssuedTokenFieldsFragment;
export type LatestValue = ops.LatestTelemetryQuery["latestTelemetry"][number];
export type TelemetryTable = ops.TelemetryQuery["telemetry"];
export type UsageEntry = ops.UsageQuery["usage"][number];
export type Webhook = ops.WebhookFieldsFragment;
export type MaintenanceEvent = Node<ops.MaintenanceEventsQuery["maintenanceEvents"]>;

type Filter<V> = Omit<V, "first" | "after">;

function endpointOf(url: string): string {
  const parsed = new URL(url);
  if (!parsed.pathname.endsWith("/graphql")) parsed.pathname = `${parsed.pathname.replace(/\/+$/, "")}/graphql`;
  return parsed.toString();
}

/** A typed client of the platform's GraphQL API. */
export class PdmClient {
  readonly #transport: TransportOptions;

  constructor(options: ClientOptions) {
    if (options.apiKey !== undefined && options.token !== undefined) throw new TypeError("Give either apiKey or token, not both.");
    const credential = options.apiKey ?? options.token;
    const globalFetch = (globalThis as { fetch?: FetchLike }).fetch;
    if (options.fetch === undefined && globalFetch === undefined)
      throw new TypeError("No global fetch (Node 20 or later has one): pass options.fetch.");
    // Called as a plain function: a browser's fetch refuses to run with another `this`.
    const fetchFn: FetchLike = options.fetch ?? ((url, init) => (globalFetch as FetchLike)(url, init));
    this.#transport = {
      endpoint: endpointOf(options.url),
      authorization: credential === undefined ? undefined : `Bearer ${credential}`,
      fetch: fetchFn,
      retry: { maxRetries: options.retry?.maxRetries ?? 3, maxDelaySeconds: options.retry?.maxDelaySeconds ?? 30 },
      headers: options.headers ?? {},
    };
  }

  /** Runs any typed document (the SDK's, in `documents`, or one of your own); throws PdmApiError on an error. */
  request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...[variables]: VariablesArg<TVariables>): Promise<TResult> {
    return send(this.#transport, document, variables);
  }

  /** Every node of a connection: `select` picks the connection out of the document's answer. */
  paginate<TResult, TVariables extends PageVariables, TNode>(
    document: TypedDocument<TResult, TVariables>,
    variables: Omit<TVariables, "after">,
    select: (result: TResult) => Connection<TNode>,
    options: { pageSize?: number; maxPages?: number } = {},
  ): AsyncGenerator<TNode, void, undefined> {
    const first = options.pageSize ?? variables.first ?? 100;
    return paginate(
      async (after) => select(await send(this.#transport, document, { ...variables, first, after } as TVariables)),
      options.maxPages === undefined ? {} : { maxPages: options.maxPages },
    );
  }

  /** Who the client is: the key's id, tenant and scopes. */
  async viewer() {
    return (await this.request(ops.ViewerDocument)).viewer;
  }

  /** The fleet with health, remaining life and delivery per asset, every page (default sort: lowest remaining life first). */
  fleet(filter: Filter<ops.FleetOverviewQueryVariables> = {}): AsyncGenerator<FleetEntry, void, undefined> {
    return this.paginate(ops.FleetOverviewDocument, filter, (r) => r.fleetOverview);
  }

  assets(filter: Filter<ops.AssetsQueryVariables> = {}) {
    return this.paginate(ops.AssetsDocument, filter, (r) => r.assets);
  }

  async asset(id: string): Promise<Asset> {
    return (await this.request(ops.AssetDocument, { id })).asset;
  }

  /** An asset's latest remaining-life and anomaly predictions. */
  async assetHealth(assetId: string): Promise<AssetHealth> {
    return (await this.request(ops.AssetHealthDocument, { assetId })).assetHealth;
  }

  /** An asset's stored predictions, newest first. */
  predictions(filter: Filter<ops.PredictionsQueryVariables>): AsyncGenerator<Prediction, void, undefined> {
    return this.paginate(ops.PredictionsDocument, filter, (r) => r.predictions);
  }

  /** The alerts inbox, newest first; e.g. `{ statuses: ["OPEN"] }`. */
  alerts(filter: Filter<ops.AlertsQueryVariables> = {}): AsyncGenerator<Alert, void, undefined> {
    return this.paginate(ops.AlertsDocument, filter, (r) => r.alerts);
  }

  async acknowledgeAlert(id: string): Promise<Alert> {
    return (await this.request(ops.AcknowledgeAlertDocument, { id })).acknowledgeAlert;
  }

  /** Up to 100 alerts at once, all or nothing. */
  async acknowledgeAlerts(ids: readonly string[]): Promise<Alert[]> {
    return (await this.request(ops.AcknowledgeAlertsDocument, { ids: [...ids] })).acknowledgeAlerts;
  }

  /** The last value of each sensor of an asset (or of the sensors named). */
  async latestTelemetry(assetId: string, sensors?: readonly string[]): Promise<LatestValue[]> {
    return (await this.request(ops.LatestTelemetryDocument, { assetId, ...(sensors ? { sensors: [...sensors] } : {}) })).latestTelemetry;
  }

  /** Raw points of an asset in [from, to), column-major. */
  async telemetry(input: ops.TelemetryQueryVariables): Promise<TelemetryTable> {
    return (await this.request(ops.TelemetryDocument, input)).telemetry;
  }

  /** One row per window holding data. */
  async telemetryAggregate(input: ops.TelemetryAggregateQueryVariables): Promise<TelemetryTable> {
    return (await this.request(ops.TelemetryAggregateDocument, input)).telemetryAggregate;
  }

  devices(): AsyncGenerator<Device, void, undefined> {
    return this.paginate(ops.DevicesDocument, {}, (r) => r.devices);
  }

  /** A device with its first token; the secret is in `issued` and shown only here. */
  async createDevice(input: ops.CreateDeviceInput) {
    return (await this.request(ops.CreateDeviceDocument, { input })).createDevice;
  }

  /** A further token for a device (rotation). */
  async createDeviceToken(deviceId: string): Promise<IssuedDeviceToken> {
    return (await this.request(ops.CreateDeviceTokenDocument, { deviceId })).createDeviceToken;
  }

  async revokeDeviceToken(id: string) {
    return (await this.request(ops.RevokeDeviceTokenDocument, { id })).revokeDeviceToken;
  }

  /** Usage per meter and period (whole UTC hours). */
  async usage(input: ops.UsageQueryVariables): Promise<UsageEntry[]> {
    return (await this.request(ops.UsageDocument, input)).usage;
  }

  async billingAccount() {
    return (await this.request(ops.BillingAccountDocument)).billingAccount;
  }

  async webhooks(): Promise<Webhook[]> {
    return (await this.request(ops.WebhooksDocument)).webhooks;
  }

  /** Registers a webhook for new alerts; its signing secret is shown only here. */
  async createWebhook(url: string) {
    return (await this.request(ops.CreateWebhookDocument, { url })).createWebhook;
  }

  async disableWebhook(id: string): Promise<Webhook> {
    return (await this.request(ops.DisableWebhookDocument, { id })).disableWebhook;
  }

  maintenanceEvents(filter: Filter<ops.MaintenanceEventsQueryVariables> = {}): AsyncGenerator<MaintenanceEvent, void, undefined> {
    return this.paginate(ops.MaintenanceEventsDocument, filter, (r) => r.maintenanceEvents);
  }
}

/** A client of the API at `url`, authenticated by an API key (or a member's token). */
export function createClient(options: ClientOptions): PdmClient {
  return new PdmClient(options);
}
