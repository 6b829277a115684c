// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Arg, Args, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { operatorCall, type RequestContext, tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import { acknowledgeAlert, getAlert, listAlertRules, setAlertRule } from "./alerts.js";
import { webhookLog } from "./delivery-log.js";
import type { AlertsServices } from "./deps.js";
import {
  Alert,
  AlertConnection,
  AlertKindValue,
  AlertRule,
  AlertRuleInput,
  AlertStatusValue,
  OperatorTenantFleet,
  SupportInboxConnection,
  type SupportInboxEntry,
  Webhook,
  WebhookCreated,
  WebhookDelivery,
} from "./graphql-types.js";
import { acknowledgeAlerts, listAlerts } from "./inbox.js";
import { operatorTenantFleet } from "./operator-tenant-fleet.js";
import { alertStream } from "./stream.js";
import { supportInbox } from "./support-inbox.js";
import { prepareTestEvent, recordTestEvent, sendTestEvent } from "./test-event.js";
import { WebhookLogEntry } from "./webhook-log-types.js";
import { createWebhook, deliveriesOf, disableWebhook, listWebhooks } from "./webhooks.js";

@Resolver()
export class AlertResolver {
  @Query(() => AlertConnection, {
    description: "The alerts inbox, newest first; filters combine (AND). Paging by cursor is stable while new alerts arrive.",
  })
  alerts(
    @Ctx() rc: RequestContext<AlertsServices>,
    @Args() page: PageArgs,
    @Arg("statuses", () => [AlertStatusValue], { nullable: true }) statuses?: AlertStatusValue[],
    @Arg("assetId", () => ID, { nullable: true }) assetId?: string,
    @Arg("kinds", () => [AlertKindValue], { nullable: true }) kinds?: AlertKindValue[],
    @Arg("raisedSince", () => Date, { nullable: true, description: "Raised at or after this time." }) raisedSince?: Date,
    @Arg("raisedUntil", () => Date, { nullable: true, description: "Raised before this time." }) raisedUntil?: Date,
  ): Promise<ConnectionShape<Alert>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "models:read", async (ctx) =>
      toConnection(await listAlerts(ctx, { page: request, statuses, assetId, kinds, raisedSince, raisedUntil })),
    );
  }

  @Query(() => Alert)
  alert(@Ctx() rc: RequestContext<AlertsServices>, @Arg("id", () => ID) id: string): Promise<Alert> {
    return tenantCall(rc, "models:read", (ctx) => getAlert(ctx, id));
  }

  @Mutation(() => Alert, { description: "Marks an open alert as seen. Audited." })
  acknowledgeAlert(@Ctx() rc: RequestContext<AlertsServices>, @Arg("id", () => ID) id: string): Promise<Alert> {
    return tenantCall(rc, "models:write", (ctx) => acknowledgeAlert(ctx, id));
  }

  @Mutation(() => [Alert], {
    description:
      "Marks up to 100 alerts as seen at once, all or nothing: an unknown id answers NOT_FOUND naming it and none is " +
      "acknowledged. Duplicates count once; alerts acknowledged or resolved already are left as they are. Audited per alert.",
  })
  acknowledgeAlerts(@Ctx() rc: RequestContext<AlertsServices>, @Arg("ids", () => [ID]) ids: string[]): Promise<Alert[]> {
    return tenantCall(rc, "models:write", (ctx) => acknowledgeAlerts(ctx, ids));
  }

  @Query(() => [AlertRule])
  alertRules(@Ctx() rc: RequestContext<AlertsServices>): Promise<AlertRule[]> {
    return tenantCall(rc, "models:read", (ctx) => listAlertRules(ctx));
  }

  @Mutation(() => AlertRule, { description: "Sets when an asset type's predictions raise alerts. Audited." })
  setAlertRule(@Ctx() rc: RequestContext<AlertsServices>, @Arg("input") input: AlertRuleInput): Promise<AlertRule> {
    return tenantCall(rc, "models:write", (ctx) =>
      setAlertRule(ctx, { assetTypeId: input.assetTypeId, rulBelow: input.rulBelow ?? null, anomaly: input.anomaly }),
    );
  }

  @Query(() => [Webhook], { description: "The live webhooks, oldest first." })
  webhooks(@Ctx() rc: RequestContext<AlertsServices>): Promise<Webhook[]> {
    return tenantCall(rc, "tenant:read", (ctx) => listWebhooks(ctx));
  }

  @Mutation(() => WebhookCreated, { description: "Registers a webhook for new alerts; its signing secret is shown once. Audited." })
  createWebhook(@Ctx() rc: RequestContext<AlertsServices>, @Arg("url") url: string): Promise<WebhookCreated> {
    return tenantCall(rc, "tenant:write", (ctx) => createWebhook(ctx, { url }));
  }

  @Mutation(() => Webhook, { description: "Stops deliveries to a webhook. Audited." })
  disableWebhook(@Ctx() rc: RequestContext<AlertsServices>, @Arg("id", () => ID) id: string): Promise<Webhook> {
    return tenantCall(rc, "tenant:write", (ctx) => disableWebhook(ctx, id));
  }

  @Query(() => [WebhookLogEntry], {
    description:
      "A webhook's latest deliveries (live or disabled webhook), newest first: alerts with their attempts and test events, " +
      "each with the last attempt's outcome and the receiver's status code. first: 1 to 50 (default 20).",
  })
  webhookDeliveries(
    @Ctx() rc: RequestContext<AlertsServices>,
    @Arg("webhookId", () => ID) webhookId: string,
    @Arg("first", () => Int, { nullable: true }) first?: number,
  ): Promise<WebhookLogEntry[]> {
    return tenantCall(rc, "tenant:read", (ctx) => webhookLog(ctx, { webhookId, ...(first === undefined ? {} : { first }) }));
  }

  @Mutation(() => WebhookLogEntry, {
    description:
      'Sends a signed test event (body type "webhook.test") to a live webhook now, once, through the same checks and signing ' +
      "as alert deliveries, and records it in its delivery log. At most 5 a minute per webhook. Audited.",
  })
  async sendTestWebhook(@Ctx() rc: RequestContext<AlertsServices>, @Arg("id", () => ID) id: string): Promise<WebhookLogEntry> {
    const event = await tenantCall(rc, "tenant:write", (ctx) => prepareTestEvent(ctx, id));
    // Outside a transaction: no database connection waits for the receiver.
    const result = await sendTestEvent(rc.services, event);
    return tenantCall(rc, "tenant:write", (ctx) => recordTestEvent(ctx, event, result));
  }

  @Query(() => [WebhookDelivery], { description: "An alert's deliveries to the webhooks." })
  alertDeliveries(@Ctx() rc: RequestContext<AlertsServices>, @Arg("alertId", () => ID) alertId: string): Promise<WebhookDelivery[]> {
    return tenantCall(rc, "models:read", (ctx) => deliveriesOf(ctx, alertId));
  }

  @Subscription(() => Alert, {
    description: "New alerts of the caller's tenant, as they are raised (graphql-ws on /graphql).",
    subscribe: ({ context }) => alertStream(context as RequestContext<AlertsServices>),
  })
  alertRaised(@Root() alert: Alert): Alert {
    return alert;
  }

  @Subscription(() => Alert, {
    description:
      "Alerts of the caller's tenant as they are acknowledged or resolved (graphql-ws on /graphql): the alert as it is now. Same access as alertRaised.",
    subscribe: ({ context }) => alertStream(context as RequestContext<AlertsServices>, "changed"),
  })
  alertChanged(@Root() alert: Alert): Alert {
    return alert;
  }

  @Query(() => SupportInboxConnection, {
    description: "Unresolved alerts of every tenant, newest first (support operators). The reason is recorded.",
  })
  supportInbox(
    @Ctx() rc: RequestContext<AlertsServices>,
    @Arg("reason") reason: string,
    @Args() page: PageArgs,
  ): Promise<ConnectionShape<SupportInboxEntry>> {
    const request = pageRequest(page.first, page.after);
    return operatorCall(rc, async (ctx) => toConnection(await supportInbox(ctx, { reason, page: request })));
  }

  @Query(() => OperatorTenantFleet, {
    description: "One tenant's assets and unresolved alerts (support operators). Recorded with the reason in that tenant's audit log too.",
  })
  operatorTenantFleet(
    @Ctx() rc: RequestContext<AlertsServices>,
    @Arg("tenantId", () => ID) tenantId: string,
    @Arg("reason") reason: string,
  ): Promise<OperatorTenantFleet> {
    return operatorCall(rc, (ctx) => operatorTenantFleet(ctx, { tenantId, reason }));
  }
}
