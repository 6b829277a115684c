// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { WebhookDeliveryOutcomeValue } from "./graphql-types.js";

export enum WebhookEventValue {
  ALERT_RAISED = "ALERT_RAISED",
  TEST = "TEST",
}
registerEnumType(WebhookEventValue, {
  name: "WebhookEvent",
  description:
    'ALERT_RAISED: a new alert (body type "alert.raised"). TEST: a test event sent with sendTestWebhook (body type "webhook.test").',
});

export enum WebhookDeliveryStatusValue {
  PENDING = "PENDING",
  DELIVERED = "DELIVERED",
  FAILED = "FAILED",
}
registerEnumType(WebhookDeliveryStatusValue, {
  name: "WebhookDeliveryStatus",
  description:
    "PENDING: not yet answered with a 2xx, tries remain. DELIVERED: a 2xx answer. FAILED: every try is used (a test event has one).",
});

@ObjectType({ description: "One row of a webhook's delivery log: an alert's delivery with its retries, or a test event." })
export class WebhookLogEntry {
  @Field(() => ID, { description: "The webhook-id header the receiver got: <alert id>:<webhook id>, or the test event's id." })
  id!: string;

  @Field(() => ID)
  webhookId!: string;

  @Field(() => WebhookEventValue)
  event!: string;

  @Field(() => ID, { nullable: true, description: "The alert delivered; null for a test event." })
  alertId!: string | null;

  @Field(() => WebhookDeliveryStatusValue)
  status!: string;

  @Field(() => Int, { description: "Attempts made so far; more than one means retries." })
  attempts!: number;

  @Field(() => WebhookDeliveryOutcomeValue, { nullable: true, description: "The last attempt's outcome; null before the first." })
  lastOutcome!: string | null;

  @Field(() => Int, {
    nullable: true,
    description: "The HTTP status the receiver answered the last attempt with; null when none answered.",
  })
  statusCode!: number | null;

  @Field({ description: "When the alert was raised, or the test event sent." })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}
