/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from "../document.js";
export type Aggregate =
  | 'COUNT'
  | 'LAST'
  | 'MAX'
  | 'MEAN'
  | 'MIN';

/** RUL_LOW: predicted remaining life below the tenant's threshold. */
export type AlertKind =
  | 'ANOMALY'
  | 'RUL_LOW';

/** OPEN until a person acknowledges it; RESOLVED once a later prediction no longer meets the condition. */
export type AlertStatus =
  | 'ACKNOWLEDGED'
  | 'OPEN'
  | 'RESOLVED';

/** none: not subscribed; active: paid up; past_due: a payment failed, writes work until the grace period ends; read_only: the grace period is over; cancelled: the subscription ended. */
export type BillingStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'NONE'
  | 'PAST_DUE'
  | 'READ_ONLY';

export type CreateDeviceInput = {
  assetIds: Array<string>;
  name: string;
};

export type FleetSort =
  /** CRITICAL, WATCH, OK, UNKNOWN; within a state, lowest remaining life first. */
  | 'HEALTH'
  /** Latest delivery first; assets that never delivered last. */
  | 'LAST_SEEN_DESC'
  /** By name, ignoring case. */
  | 'NAME'
  /** Lowest predicted remaining life first; assets never scored last. */
  | 'REMAINING_LIFE_ASC';

export type HealthState =
  /** An unresolved remaining-life alert, or the latest remaining life below the type's alert threshold. */
  | 'CRITICAL'
  /** Scored for remaining life, and none of the above. */
  | 'OK'
  /** Never scored for remaining life, and no unresolved alert. */
  | 'UNKNOWN'
  /** An unresolved anomaly alert, or the latest remaining life's interval reaching below the alert threshold. */
  | 'WATCH';

export type InvoiceComponent =
  | 'BASE'
  | 'POINTS_INGESTED'
  | 'PREDICTIONS'
  | 'TRAINING_RUNS';

/** A failure ends a run-to-failure series (its cycles are labelled with remaining life for training). */
export type MaintenanceKind =
  | 'FAILURE'
  | 'INSPECTION'
  | 'REPAIR';

/** What a member may do inside its tenant. */
export type MemberRole =
  | 'ADMIN'
  | 'ENGINEER'
  | 'FINANCE'
  | 'OWNER'
  | 'VIEWER';

/** RUL: remaining useful life in cycles. ANOMALY: a score per time step against the healthy period. */
export type ModelTask =
  | 'ANOMALY'
  | 'RUL';

export type PrincipalKind =
  | 'API_KEY'
  | 'MEMBER'
  | 'OPERATOR';

export type RecordMaintenanceEventInput = {
  assetId: string;
  kind: MaintenanceKind;
  /** Free text, at most 2,000 characters. */
  note?: string | null | undefined;
  /** When it happened (not in the future). */
  occurredAt: string;
};

/** How a sensor's values are stored; writes of another type are refused. */
export type SensorValueType =
  | 'BOOLEAN'
  | 'FLOAT'
  | 'INTEGER';

/** UTC hours (ranges up to 31 days), days (400 days) or calendar months (1830 days). */
export type UsageGranularity =
  | 'DAY'
  | 'HOUR'
  | 'MONTH';

/** What usage is counted in. */
export type UsageMeter =
  | 'POINTS_INGESTED'
  | 'PREDICTIONS'
  | 'TRAINING_RUNS';

/** What became of a delivery attempt. DELIVERED: a 2xx answer. REDIRECTED: a 3xx answer (redirects are not followed; register the final URL). REJECTED: a 4xx answer. FAILED: a 5xx or other answer. TIMEOUT: no answer in time. UNREACHABLE: the host name did not resolve, or no connection or TLS session could be made. BLOCKED_ADDRESS: the URL, or an address its host name resolves to, is not public (loopback, private, link-local, ...): never contacted, not retried. */
export type WebhookDeliveryOutcome =
  | 'BLOCKED_ADDRESS'
  | 'DELIVERED'
  | 'FAILED'
  | 'REDIRECTED'
  | 'REJECTED'
  | 'TIMEOUT'
  | 'UNREACHABLE';

export type AlertsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  assetId?: string | null | undefined;
  kinds?: Array<AlertKind> | AlertKind | null | undefined;
  statuses?: Array<AlertStatus> | AlertStatus | null | undefined;
  raisedSince?: string | null | undefined;
  raisedUntil?: string | null | undefined;
}>;


export type AlertsQuery = { alerts: { edges: Array<{ cursor: string, node: { id: string, kind: AlertKind, status: AlertStatus, assetId: string, assetExternalId: string, assetName: string, value: number, threshold: number, explanation: Record<string, unknown>, openedAt: string, acknowledgedAt: string | null, acknowledgedBy: string | null, acknowledgedByName: string | null, resolvedAt: string | null, predictionId: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AlertQueryVariables = Exact<{
  id: string;
}>;


export type AlertQuery = { alert: { id: string, kind: AlertKind, status: AlertStatus, assetId: string, assetExternalId: string, assetName: string, value: number, threshold: number, explanation: Record<string, unknown>, openedAt: string, acknowledgedAt: string | null, acknowledgedBy: string | null, acknowledgedByName: string | null, resolvedAt: string | null, predictionId: string } };

export type AcknowledgeAlertMutationVariables = Exact<{
  id: string;
}>;


export type AcknowledgeAlertMutation = { acknowledgeAlert: { id: string, kind: AlertKind, status: AlertStatus, assetId: string, assetExternalId: string, assetName: string, value: number, threshold: number, explanation: Record<string, unknown>, openedAt: string, acknowledgedAt: string | null, acknowledgedBy: string | null, acknowledgedByName: string | null, resolvedAt: string | null, predictionId: string } };

export type AcknowledgeAlertsMutationVariables = Exact<{
  ids: Array<string> | string;
}>;


export type AcknowledgeAlertsMutation = { acknowledgeAlerts: Array<{ id: string, kind: AlertKind, status: AlertStatus, assetId: string, assetExternalId: string, assetName: string, value: number, threshold: number, explanation: Record<string, unknown>, openedAt: string, acknowledgedAt: string | null, acknowledgedBy: string | null, acknowledgedByName: string | null, resolvedAt: string | null, predictionId: string }> };

export type UsageQueryVariables = Exact<{
  from: string;
  to: string;
  granularity: UsageGranularity;
  meter?: UsageMeter | null | undefined;
}>;


export type UsageQuery = { usage: Array<{ meter: UsageMeter, periodStart: string, quantity: number }> };

export type BillingAccountQueryVariables = Exact<{ [key: string]: never; }>;


export type BillingAccountQuery = { billingAccount: { status: BillingStatus, currentPeriodStart: string | null, currentPeriodEnd: string | null, pastDueSince: string | null, graceEndsAt: string | null, plan: { code: string, name: string, currency: string, entitlements: { pointsPerDay: number | null, predictionsPerDay: number | null, trainingRunsPerDay: number | null, maxAssets: number | null, maxModels: number | null, maxSeries: number, retentionDays: number, graphqlCostPerMinute: number | null } } | null } };

export type InvoicePreviewQueryVariables = Exact<{ [key: string]: never; }>;


export type InvoicePreviewQuery = { invoicePreview: { planCode: string, planName: string, currency: string, periodStart: string, periodEnd: string, total: number, lines: Array<{ component: InvoiceComponent, description: string, quantity: number, unitAmount: number, amount: number }> } };

export type DevicesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DevicesQuery = { devices: { edges: Array<{ cursor: string, node: { id: string, name: string, assetIds: Array<string>, createdAt: string, tokens: Array<{ id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type DeviceQueryVariables = Exact<{
  id: string;
}>;


export type DeviceQuery = { device: { id: string, name: string, assetIds: Array<string>, createdAt: string, tokens: Array<{ id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> } };

export type CreateDeviceMutationVariables = Exact<{
  input: CreateDeviceInput;
}>;


export type CreateDeviceMutation = { createDevice: { device: { id: string, name: string, assetIds: Array<string>, createdAt: string, tokens: Array<{ id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> }, issued: { secret: string, mqttUsername: string, mqttClientId: string, mqttTopic: string, token: { id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } } } };

export type CreateDeviceTokenMutationVariables = Exact<{
  deviceId: string;
}>;


export type CreateDeviceTokenMutation = { createDeviceToken: { secret: string, mqttUsername: string, mqttClientId: string, mqttTopic: string, token: { id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } } };

export type RevokeDeviceTokenMutationVariables = Exact<{
  id: string;
}>;


export type RevokeDeviceTokenMutation = { revokeDeviceToken: { id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } };

export type SetDeviceAssetsMutationVariables = Exact<{
  deviceId: string;
  assetIds: Array<string> | string;
}>;


export type SetDeviceAssetsMutation = { setDeviceAssets: { id: string, name: string, assetIds: Array<string>, createdAt: string, tokens: Array<{ id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { kind: PrincipalKind, tenantId: string | null, apiKeyId: string | null, userId: string | null, role: MemberRole | null, scopes: Array<string> } };

export type FleetOverviewQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  sort?: FleetSort | null | undefined;
  health?: Array<HealthState> | HealthState | null | undefined;
  assetTypeId?: string | null | undefined;
  parentId?: string | null | undefined;
  search?: string | null | undefined;
}>;


export type FleetOverviewQuery = { fleetOverview: { edges: Array<{ cursor: string, node: { assetId: string, assetTypeId: string, externalId: string, name: string, parentId: string | null, depth: number, childCount: number, health: HealthState, lastSeenAt: string | null, pointsLastDay: number, ancestors: Array<{ id: string, name: string }>, remainingLife: { rul: number, low: number | null, high: number | null, dataTime: string, predictedAt: string, predictionId: string, modelVersionId: string } | null, worstAlert: { id: string, kind: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AssetTypesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AssetTypesQuery = { assetTypes: { edges: Array<{ cursor: string, node: { id: string, key: string, name: string, description: string, createdAt: string, sensors: Array<{ id: string, key: string, unit: string, description: string, valueType: SensorValueType }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AssetsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  assetTypeId?: string | null | undefined;
  parentId?: string | null | undefined;
  rootsOnly?: boolean | null | undefined;
}>;


export type AssetsQuery = { assets: { edges: Array<{ cursor: string, node: { id: string, externalId: string, name: string, assetTypeId: string, parentId: string | null, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AssetQueryVariables = Exact<{
  id: string;
}>;


export type AssetQuery = { asset: { id: string, externalId: string, name: string, assetTypeId: string, parentId: string | null, createdAt: string } };

export type AssetHealthQueryVariables = Exact<{
  assetId: string;
}>;


export type AssetHealthQuery = { assetHealth: { assetId: string, rul: { id: string, assetId: string, task: ModelTask, rul: number | null, rulLow: number | null, rulHigh: number | null, anomalyScore: number | null, anomalyThreshold: number | null, explanation: Record<string, unknown> | null, dataTime: string, createdAt: string, modelVersionId: string, source: string } | null, anomaly: { id: string, assetId: string, task: ModelTask, rul: number | null, rulLow: number | null, rulHigh: number | null, anomalyScore: number | null, anomalyThreshold: number | null, explanation: Record<string, unknown> | null, dataTime: string, createdAt: string, modelVersionId: string, source: string } | null } };

export type PredictionsQueryVariables = Exact<{
  assetId: string;
  task?: ModelTask | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PredictionsQuery = { predictions: { edges: Array<{ cursor: string, node: { id: string, assetId: string, task: ModelTask, rul: number | null, rulLow: number | null, rulHigh: number | null, anomalyScore: number | null, anomalyThreshold: number | null, explanation: Record<string, unknown> | null, dataTime: string, createdAt: string, modelVersionId: string, source: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FleetRiskQueryVariables = Exact<{
  assetTypeId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FleetRiskQuery = { fleetHealth: { edges: Array<{ cursor: string, node: { assetId: string, externalId: string, prediction: { id: string, assetId: string, task: ModelTask, rul: number | null, rulLow: number | null, rulHigh: number | null, anomalyScore: number | null, anomalyThreshold: number | null, explanation: Record<string, unknown> | null, dataTime: string, createdAt: string, modelVersionId: string, source: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type PredictionFieldsFragment = { id: string, assetId: string, task: ModelTask, rul: number | null, rulLow: number | null, rulHigh: number | null, anomalyScore: number | null, anomalyThreshold: number | null, explanation: Record<string, unknown> | null, dataTime: string, createdAt: string, modelVersionId: string, source: string };

export type AlertFieldsFragment = { id: string, kind: AlertKind, status: AlertStatus, assetId: string, assetExternalId: string, assetName: string, value: number, threshold: number, explanation: Record<string, unknown>, openedAt: string, acknowledgedAt: string | null, acknowledgedBy: string | null, acknowledgedByName: string | null, resolvedAt: string | null, predictionId: string };

export type DeviceFieldsFragment = { id: string, name: string, assetIds: Array<string>, createdAt: string, tokens: Array<{ id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null }> };

export type IssuedTokenFieldsFragment = { secret: string, mqttUsername: string, mqttClientId: string, mqttTopic: string, token: { id: string, prefix: string, createdAt: string, lastUsedAt: string | null, revokedAt: string | null } };

export type WebhookFieldsFragment = { id: string, url: string, createdAt: string, disabledAt: string | null };

export type MaintenanceEventsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  assetId?: string | null | undefined;
  kinds?: Array<MaintenanceKind> | MaintenanceKind | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
}>;


export type MaintenanceEventsQuery = { maintenanceEvents: { edges: Array<{ cursor: string, node: { id: string, assetId: string, assetExternalId: string, assetName: string, kind: MaintenanceKind, note: string, occurredAt: string, recordedBy: string, recordedByName: string | null, createdAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type RecordMaintenanceEventMutationVariables = Exact<{
  input: RecordMaintenanceEventInput;
}>;


export type RecordMaintenanceEventMutation = { recordMaintenanceEvent: { id: string, assetId: string, assetExternalId: string, assetName: string, kind: MaintenanceKind, note: string, occurredAt: string, recordedBy: string, recordedByName: string | null, createdAt: string } };

export type LatestTelemetryQueryVariables = Exact<{
  assetId: string;
  sensors?: Array<string> | string | null | undefined;
}>;


export type LatestTelemetryQuery = { latestTelemetry: Array<{ sensor: string, time: string, value: number | null }> };

export type TelemetryQueryVariables = Exact<{
  assetId: string;
  from: string;
  to: string;
  sensors?: Array<string> | string | null | undefined;
  limit?: number | null | undefined;
}>;


export type TelemetryQuery = { telemetry: { sensors: Array<string>, times: Array<string>, values: Array<Array<number | null> | null> } };

export type TelemetryAggregateQueryVariables = Exact<{
  assetId: string;
  from: string;
  to: string;
  aggregate: Aggregate;
  windowSeconds: number;
  sensors?: Array<string> | string | null | undefined;
}>;


export type TelemetryAggregateQuery = { telemetryAggregate: { sensors: Array<string>, times: Array<string>, values: Array<Array<number | null> | null> } };

export type WebhooksQueryVariables = Exact<{ [key: string]: never; }>;


export type WebhooksQuery = { webhooks: Array<{ id: string, url: string, createdAt: string, disabledAt: string | null }> };

export type CreateWebhookMutationVariables = Exact<{
  url: string;
}>;


export type CreateWebhookMutation = { createWebhook: { secret: string, webhook: { id: string, url: string, createdAt: string, disabledAt: string | null } } };

export type DisableWebhookMutationVariables = Exact<{
  id: string;
}>;


export type DisableWebhookMutation = { disableWebhook: { id: string, url: string, createdAt: string, disabledAt: string | null } };

export type AlertDeliveriesQueryVariables = Exact<{
  alertId: string;
}>;


export type AlertDeliveriesQuery = { alertDeliveries: Array<{ alertId: string, webhookId: string, status: string, attempts: number, deliveredAt: string | null, lastOutcome: WebhookDeliveryOutcome | null }> };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const PredictionFieldsFragmentDoc = new TypedDocumentString(`
    fragment PredictionFields on Prediction {
  id
  assetId
  task
  rul
  rulLow
  rulHigh
  anomalyScore
  anomalyThreshold
  explanation
  dataTime
  createdAt
  modelVersionId
  source
}
    `, {"fragmentName":"PredictionFields"}) as unknown as TypedDocumentString<PredictionFieldsFragment, unknown>;
export const AlertFieldsFragmentDoc = new TypedDocumentString(`
    fragment AlertFields on Alert {
  id
  kind
  status
  assetId
  assetExternalId
  assetName
  value
  threshold
  explanation
  openedAt
  acknowledgedAt
  acknowledgedBy
  acknowledgedByName
  resolvedAt
  predictionId
}
    `, {"fragmentName":"AlertFields"}) as unknown as TypedDocumentString<AlertFieldsFragment, unknown>;
export const DeviceFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeviceFields on Device {
  id
  name
  assetIds
  createdAt
  tokens {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}
    `, {"fragmentName":"DeviceFields"}) as unknown as TypedDocumentString<DeviceFieldsFragment, unknown>;
export const IssuedTokenFieldsFragmentDoc = new TypedDocumentString(`
    fragment IssuedTokenFields on DeviceTokenIssued {
  secret
  mqttUsername
  mqttClientId
  mqttTopic
  token {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}
    `, {"fragmentName":"IssuedTokenFields"}) as unknown as TypedDocumentString<IssuedTokenFieldsFragment, unknown>;
export const WebhookFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebhookFields on Webhook {
  id
  url
  createdAt
  disabledAt
}
    `, {"fragmentName":"WebhookFields"}) as unknown as TypedDocumentString<WebhookFieldsFragment, unknown>;
export const AlertsDocument = new TypedDocumentString(`
    query Alerts($first: Int, $after: String, $assetId: ID, $kinds: [AlertKind!], $statuses: [AlertStatus!], $raisedSince: DateTimeISO, $raisedUntil: DateTimeISO) {
  alerts(
    first: $first
    after: $after
    assetId: $assetId
    kinds: $kinds
    statuses: $statuses
    raisedSince: $raisedSince
    raisedUntil: $raisedUntil
  ) {
    edges {
      cursor
      node {
        ...AlertFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment AlertFields on Alert {
  id
  kind
  status
  assetId
  assetExternalId
  assetName
  value
  threshold
  explanation
  openedAt
  acknowledgedAt
  acknowledgedBy
  acknowledgedByName
  resolvedAt
  predictionId
}`) as unknown as TypedDocumentString<AlertsQuery, AlertsQueryVariables>;
export const AlertDocument = new TypedDocumentString(`
    query Alert($id: ID!) {
  alert(id: $id) {
    ...AlertFields
  }
}
    fragment AlertFields on Alert {
  id
  kind
  status
  assetId
  assetExternalId
  assetName
  value
  threshold
  explanation
  openedAt
  acknowledgedAt
  acknowledgedBy
  acknowledgedByName
  resolvedAt
  predictionId
}`) as unknown as TypedDocumentString<AlertQuery, AlertQueryVariables>;
export const AcknowledgeAlertDocument = new TypedDocumentString(`
    mutation AcknowledgeAlert($id: ID!) {
  acknowledgeAlert(id: $id) {
    ...AlertFields
  }
}
    fragment AlertFields on Alert {
  id
  kind
  status
  assetId
  assetExternalId
  assetName
  value
  threshold
  explanation
  openedAt
  acknowledgedAt
  acknowledgedBy
  acknowledgedByName
  resolvedAt
  predictionId
}`) as unknown as TypedDocumentString<AcknowledgeAlertMutation, AcknowledgeAlertMutationVariables>;
export const AcknowledgeAlertsDocument = new TypedDocumentString(`
    mutation AcknowledgeAlerts($ids: [ID!]!) {
  acknowledgeAlerts(ids: $ids) {
    ...AlertFields
  }
}
    fragment AlertFields on Alert {
  id
  kind
  status
  assetId
  assetExternalId
  assetName
  value
  threshold
  explanation
  openedAt
  acknowledgedAt
  acknowledgedBy
  acknowledgedByName
  resolvedAt
  predictionId
}`) as unknown as TypedDocumentString<AcknowledgeAlertsMutation, AcknowledgeAlertsMutationVariables>;
export const UsageDocument = new TypedDocumentString(`
    query Usage($from: DateTimeISO!, $to: DateTimeISO!, $granularity: UsageGranularity!, $meter: UsageMeter) {
  usage(from: $from, to: $to, granularity: $granularity, meter: $meter) {
    meter
    periodStart
    quantity
  }
}
    `) as unknown as TypedDocumentString<UsageQuery, UsageQueryVariables>;
export const BillingAccountDocument = new TypedDocumentString(`
    query BillingAccount {
  billingAccount {
    status
    currentPeriodStart
    currentPeriodEnd
    pastDueSince
    graceEndsAt
    plan {
      code
      name
      currency
      entitlements {
        pointsPerDay
        predictionsPerDay
        trainingRunsPerDay
        maxAssets
        maxModels
        maxSeries
        retentionDays
        graphqlCostPerMinute
      }
    }
  }
}
    `) as unknown as TypedDocumentString<BillingAccountQuery, BillingAccountQueryVariables>;
export const InvoicePreviewDocument = new TypedDocumentString(`
    query InvoicePreview {
  invoicePreview {
    planCode
    planName
    currency
    periodStart
    periodEnd
    total
    lines {
      component
      description
      quantity
      unitAmount
      amount
    }
  }
}
    `) as unknown as TypedDocumentString<InvoicePreviewQuery, InvoicePreviewQueryVariables>;
export const DevicesDocument = new TypedDocumentString(`
    query Devices($first: Int, $after: String) {
  devices(first: $first, after: $after) {
    edges {
      cursor
      node {
        ...DeviceFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment DeviceFields on Device {
  id
  name
  assetIds
  createdAt
  tokens {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}`) as unknown as TypedDocumentString<DevicesQuery, DevicesQueryVariables>;
export const DeviceDocument = new TypedDocumentString(`
    query Device($id: ID!) {
  device(id: $id) {
    ...DeviceFields
  }
}
    fragment DeviceFields on Device {
  id
  name
  assetIds
  createdAt
  tokens {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}`) as unknown as TypedDocumentString<DeviceQuery, DeviceQueryVariables>;
export const CreateDeviceDocument = new TypedDocumentString(`
    mutation CreateDevice($input: CreateDeviceInput!) {
  createDevice(input: $input) {
    device {
      ...DeviceFields
    }
    issued {
      ...IssuedTokenFields
    }
  }
}
    fragment DeviceFields on Device {
  id
  name
  assetIds
  createdAt
  tokens {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}
fragment IssuedTokenFields on DeviceTokenIssued {
  secret
  mqttUsername
  mqttClientId
  mqttTopic
  token {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}`) as unknown as TypedDocumentString<CreateDeviceMutation, CreateDeviceMutationVariables>;
export const CreateDeviceTokenDocument = new TypedDocumentString(`
    mutation CreateDeviceToken($deviceId: ID!) {
  createDeviceToken(deviceId: $deviceId) {
    ...IssuedTokenFields
  }
}
    fragment IssuedTokenFields on DeviceTokenIssued {
  secret
  mqttUsername
  mqttClientId
  mqttTopic
  token {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}`) as unknown as TypedDocumentString<CreateDeviceTokenMutation, CreateDeviceTokenMutationVariables>;
export const RevokeDeviceTokenDocument = new TypedDocumentString(`
    mutation RevokeDeviceToken($id: ID!) {
  revokeDeviceToken(id: $id) {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeDeviceTokenMutation, RevokeDeviceTokenMutationVariables>;
export const SetDeviceAssetsDocument = new TypedDocumentString(`
    mutation SetDeviceAssets($deviceId: ID!, $assetIds: [ID!]!) {
  setDeviceAssets(deviceId: $deviceId, assetIds: $assetIds) {
    ...DeviceFields
  }
}
    fragment DeviceFields on Device {
  id
  name
  assetIds
  createdAt
  tokens {
    id
    prefix
    createdAt
    lastUsedAt
    revokedAt
  }
}`) as unknown as TypedDocumentString<SetDeviceAssetsMutation, SetDeviceAssetsMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    kind
    tenantId
    apiKeyId
    userId
    role
    scopes
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const FleetOverviewDocument = new TypedDocumentString(`
    query FleetOverview($first: Int, $after: String, $sort: FleetSort, $health: [HealthState!], $assetTypeId: ID, $parentId: ID, $search: String) {
  fleetOverview(
    first: $first
    after: $after
    sort: $sort
    health: $health
    assetTypeId: $assetTypeId
    parentId: $parentId
    search: $search
  ) {
    edges {
      cursor
      node {
        assetId
        assetTypeId
        externalId
        name
        parentId
        depth
        childCount
        ancestors {
          id
          name
        }
        health
        lastSeenAt
        pointsLastDay
        remainingLife {
          rul
          low
          high
          dataTime
          predictedAt
          predictionId
          modelVersionId
        }
        worstAlert {
          id
          kind
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<FleetOverviewQuery, FleetOverviewQueryVariables>;
export const AssetTypesDocument = new TypedDocumentString(`
    query AssetTypes($first: Int, $after: String) {
  assetTypes(first: $first, after: $after) {
    edges {
      cursor
      node {
        id
        key
        name
        description
        createdAt
        sensors {
          id
          key
          unit
          description
          valueType
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AssetTypesQuery, AssetTypesQueryVariables>;
export const AssetsDocument = new TypedDocumentString(`
    query Assets($first: Int, $after: String, $assetTypeId: ID, $parentId: ID, $rootsOnly: Boolean) {
  assets(
    first: $first
    after: $after
    assetTypeId: $assetTypeId
    parentId: $parentId
    rootsOnly: $rootsOnly
  ) {
    edges {
      cursor
      node {
        id
        externalId
        name
        assetTypeId
        parentId
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<AssetsQuery, AssetsQueryVariables>;
export const AssetDocument = new TypedDocumentString(`
    query Asset($id: ID!) {
  asset(id: $id) {
    id
    externalId
    name
    assetTypeId
    parentId
    createdAt
  }
}
    `) as unknown as TypedDocumentString<AssetQuery, AssetQueryVariables>;
export const AssetHealthDocument = new TypedDocumentString(`
    query AssetHealth($assetId: ID!) {
  assetHealth(assetId: $assetId) {
    assetId
    rul {
      ...PredictionFields
    }
    anomaly {
      ...PredictionFields
    }
  }
}
    fragment PredictionFields on Prediction {
  id
  assetId
  task
  rul
  rulLow
  rulHigh
  anomalyScore
  anomalyThreshold
  explanation
  dataTime
  createdAt
  modelVersionId
  source
}`) as unknown as TypedDocumentString<AssetHealthQuery, AssetHealthQueryVariables>;
export const PredictionsDocument = new TypedDocumentString(`
    query Predictions($assetId: ID!, $task: ModelTask, $from: DateTimeISO, $to: DateTimeISO, $first: Int, $after: String) {
  predictions(
    assetId: $assetId
    task: $task
    from: $from
    to: $to
    first: $first
    after: $after
  ) {
    edges {
      cursor
      node {
        ...PredictionFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment PredictionFields on Prediction {
  id
  assetId
  task
  rul
  rulLow
  rulHigh
  anomalyScore
  anomalyThreshold
  explanation
  dataTime
  createdAt
  modelVersionId
  source
}`) as unknown as TypedDocumentString<PredictionsQuery, PredictionsQueryVariables>;
export const FleetRiskDocument = new TypedDocumentString(`
    query FleetRisk($assetTypeId: ID!, $first: Int, $after: String) {
  fleetHealth(assetTypeId: $assetTypeId, first: $first, after: $after) {
    edges {
      cursor
      node {
        assetId
        externalId
        prediction {
          ...PredictionFields
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment PredictionFields on Prediction {
  id
  assetId
  task
  rul
  rulLow
  rulHigh
  anomalyScore
  anomalyThreshold
  explanation
  dataTime
  createdAt
  modelVersionId
  source
}`) as unknown as TypedDocumentString<FleetRiskQuery, FleetRiskQueryVariables>;
export const MaintenanceEventsDocument = new TypedDocumentString(`
    query MaintenanceEvents($first: Int, $after: String, $assetId: ID, $kinds: [MaintenanceKind!], $from: DateTimeISO, $to: DateTimeISO) {
  maintenanceEvents(
    first: $first
    after: $after
    assetId: $assetId
    kinds: $kinds
    from: $from
    to: $to
  ) {
    edges {
      cursor
      node {
        id
        assetId
        assetExternalId
        assetName
        kind
        note
        occurredAt
        recordedBy
        recordedByName
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<MaintenanceEventsQuery, MaintenanceEventsQueryVariables>;
export const RecordMaintenanceEventDocument = new TypedDocumentString(`
    mutation RecordMaintenanceEvent($input: RecordMaintenanceEventInput!) {
  recordMaintenanceEvent(input: $input) {
    id
    assetId
    assetExternalId
    assetName
    kind
    note
    occurredAt
    recordedBy
    recordedByName
    createdAt
  }
}
    `) as unknown as TypedDocumentString<RecordMaintenanceEventMutation, RecordMaintenanceEventMutationVariables>;
export const LatestTelemetryDocument = new TypedDocumentString(`
    query LatestTelemetry($assetId: ID!, $sensors: [String!]) {
  latestTelemetry(assetId: $assetId, sensors: $sensors) {
    sensor
    time
    value
  }
}
    `) as unknown as TypedDocumentString<LatestTelemetryQuery, LatestTelemetryQueryVariables>;
export const TelemetryDocument = new TypedDocumentString(`
    query Telemetry($assetId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $sensors: [String!], $limit: Int) {
  telemetry(
    assetId: $assetId
    from: $from
    to: $to
    sensors: $sensors
    limit: $limit
  ) {
    sensors
    times
    values
  }
}
    `) as unknown as TypedDocumentString<TelemetryQuery, TelemetryQueryVariables>;
export const TelemetryAggregateDocument = new TypedDocumentString(`
    query TelemetryAggregate($assetId: ID!, $from: DateTimeISO!, $to: DateTimeISO!, $aggregate: Aggregate!, $windowSeconds: Int!, $sensors: [String!]) {
  telemetryAggregate(
    assetId: $assetId
    from: $from
    to: $to
    aggregate: $aggregate
    windowSeconds: $windowSeconds
    sensors: $sensors
  ) {
    sensors
    times
    values
  }
}
    `) as unknown as TypedDocumentString<TelemetryAggregateQuery, TelemetryAggregateQueryVariables>;
export const WebhooksDocument = new TypedDocumentString(`
    query Webhooks {
  webhooks {
    ...WebhookFields
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  createdAt
  disabledAt
}`) as unknown as TypedDocumentString<WebhooksQuery, WebhooksQueryVariables>;
export const CreateWebhookDocument = new TypedDocumentString(`
    mutation CreateWebhook($url: String!) {
  createWebhook(url: $url) {
    secret
    webhook {
      ...WebhookFields
    }
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  createdAt
  disabledAt
}`) as unknown as TypedDocumentString<CreateWebhookMutation, CreateWebhookMutationVariables>;
export const DisableWebhookDocument = new TypedDocumentString(`
    mutation DisableWebhook($id: ID!) {
  disableWebhook(id: $id) {
    ...WebhookFields
  }
}
    fragment WebhookFields on Webhook {
  id
  url
  createdAt
  disabledAt
}`) as unknown as TypedDocumentString<DisableWebhookMutation, DisableWebhookMutationVariables>;
export const AlertDeliveriesDocument = new TypedDocumentString(`
    query AlertDeliveries($alertId: ID!) {
  alertDeliveries(alertId: $alertId) {
    alertId
    webhookId
    status
    attempts
    deliveredAt
    lastOutcome
  }
}
    `) as unknown as TypedDocumentString<AlertDeliveriesQuery, AlertDeliveriesQueryVariables>;