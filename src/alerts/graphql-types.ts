// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../core/connection.js";

export enum AlertKindValue {
  RUL_LOW = "rul_low",
  ANOMALY = "anomaly",
}
registerEnumType(AlertKindValue, { name: "AlertKind", description: "RUL_LOW: predicted remaining life below the tenant's threshold." });

export enum AlertStatusValue {
  OPEN = "open",
  ACKNOWLEDGED = "acknowledged",
  RESOLVED = "resolved",
}
registerEnumType(AlertStatusValue, {
  name: "AlertStatus",
  description: "OPEN until a person acknowledges it; RESOLVED once a later prediction no longer meets the condition.",
});

@ObjectType({ description: "An episode of a condition on an asset, raised once while it lasts." })
export class Alert {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assetId!: string;

  @Field({ description: "The asset's name." })
  assetName!: string;

  @Field({ description: "The asset's external id (the customer's own)." })
  assetExternalId!: string;

  @Field(() => AlertKindValue)
  kind!: string;

  @Field(() => AlertStatusValue)
  status!: string;

  @Field(() => Float, { description: "The predicted value that raised it (remaining cycles, or the anomaly score)." })
  value!: number;

  @Field(() => Float)
  threshold!: number;

  @Field(() => ID)
  predictionId!: string;

  @Field(() => GraphQLJSONObject, { description: "Why, in words and figures (for anomalies: the sensors that contribute most)." })
  explanation!: Record<string, unknown>;

  @Field()
  openedAt!: Date;

  @Field(() => Date, { nullable: true })
  acknowledgedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Who acknowledged it, as "user:<id>" or "api_key:<id>".' })
  acknowledgedBy!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The name of the person or API key that acknowledged it; null if not acknowledged, or the person left the tenant.",
  })
  acknowledgedByName!: string | null;

  @Field(() => Date, { nullable: true })
  resolvedAt!: Date | null;
}

export const AlertConnection = Connection(Alert, "Alert");

@ObjectType({ description: "When an asset type's predictions raise alerts." })
export class AlertRule {
  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => Float, { nullable: true, description: "An alert when the predicted remaining life falls below this many cycles." })
  rulBelow!: number | null;

  @Field({ description: "An alert when an anomaly score crosses its model's threshold." })
  anomaly!: boolean;

  @Field()
  updatedAt!: Date;
}

@InputType()
export class AlertRuleInput {
  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => Float, { nullable: true, description: "Cycles; null: no remaining-life alerts." })
  rulBelow?: number | null;

  @Field({ defaultValue: false })
  anomaly!: boolean;
}

@ObjectType({
  description: "Where the tenant's new alerts are POSTed, signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).",
})
export class Webhook {
  @Field(() => ID)
  id!: string;

  @Field()
  url!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  disabledAt!: Date | null;
}

@ObjectType()
export class WebhookCreated {
  @Field(() => Webhook)
  webhook!: Webhook;

  @Field({
    description:
      "The signing secret (whsec_<base64>), shown this once: verify deliveries with a Standard Webhooks library, new Webhook(secret).verify(body, headers).",
  })
  secret!: string;
}

export enum WebhookDeliveryOutcomeValue {
  DELIVERED = "DELIVERED",
  REDIRECTED = "REDIRECTED",
  REJECTED = "REJECTED",
  FAILED = "FAILED",
  TIMEOUT = "TIMEOUT",
  UNREACHABLE = "UNREACHABLE",
  BLOCKED_ADDRESS = "BLOCKED_ADDRESS",
}
registerEnumType(WebhookDeliveryOutcomeValue, {
  name: "WebhookDeliveryOutcome",
  description:
    "What became of a delivery attempt. DELIVERED: a 2xx answer. REDIRECTED: a 3xx answer (redirects are not followed; " +
    "register the final URL). REJECTED: a 4xx answer. FAILED: a 5xx or other answer. TIMEOUT: no answer in time. " +
    "UNREACHABLE: the host name did not resolve, or no connection or TLS session could be made. BLOCKED_ADDRESS: the URL, " +
    "or an address its host name resolves to, is not public (loopback, private, link-local, ...): never contacted, not retried.",
});

@ObjectType({ description: "An alert's delivery to one webhook." })
export class WebhookDelivery {
  @Field(() => ID)
  webhookId!: string;

  @Field(() => ID)
  alertId!: string;

  @Field({ description: "pending, delivered or failed (after the last retry)." })
  status!: string;

  @Field(() => Int)
  attempts!: number;

  @Field(() => WebhookDeliveryOutcomeValue, { nullable: true, description: "The last attempt's outcome; null before the first." })
  lastOutcome!: string | null;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}

@ObjectType({ description: "An unresolved alert of some tenant, for the machine maker's support." })
export class SupportInboxEntry {
  @Field(() => ID)
  tenantId!: string;

  @Field()
  tenantName!: string;

  @Field(() => ID)
  assetId!: string;

  @Field()
  assetExternalId!: string;

  @Field(() => ID)
  alertId!: string;

  @Field(() => AlertKindValue)
  kind!: string;

  @Field(() => AlertStatusValue)
  status!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => Float)
  threshold!: number;

  @Field(() => GraphQLJSONObject)
  explanation!: Record<string, unknown>;

  @Field()
  openedAt!: Date;
}

export const SupportInboxConnection = Connection(SupportInboxEntry, "SupportInbox");

@ObjectType({ description: "A customer's machine, as support sees it." })
export class OperatorAsset {
  @Field(() => ID)
  id!: string;

  @Field()
  externalId!: string;

  @Field()
  name!: string;

  @Field()
  assetTypeName!: string;

  @Field(() => Int, { description: "Its alerts not resolved yet." })
  unresolvedAlerts!: number;
}

@ObjectType({ description: "One tenant's machines and unresolved alerts, for the machine maker's support." })
export class OperatorTenantFleet {
  @Field(() => ID)
  tenantId!: string;

  @Field()
  tenantName!: string;

  @Field()
  tenantStatus!: string;

  @Field(() => Int, { description: "All of the tenant's assets; `assets` lists the first 500 by external id." })
  assetCount!: number;

  @Field(() => [OperatorAsset])
  assets!: OperatorAsset[];

  @Field(() => Int, { description: "All unresolved alerts; `alerts` lists the newest 100." })
  unresolvedAlertCount!: number;

  @Field(() => [SupportInboxEntry])
  alerts!: SupportInboxEntry[];
}
