// The decorators below need the metadata polyfill first, whoever imports this file.
import "reflect-metadata";
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { type RequestContext, tenantCall } from "../core/calls.js";
import { type BillingAccountView, getBillingAccount, getBillingStanding, openCustomerPortal, startCheckout } from "./checkout.js";
import type { BillingServices } from "./deps.js";
import { PlanType, toPlanType } from "./plans-graphql.js";

export enum BillingStatusValue {
  NONE = "none",
  ACTIVE = "active",
  PAST_DUE = "past_due",
  READ_ONLY = "read_only",
  CANCELLED = "cancelled",
}
registerEnumType(BillingStatusValue, {
  name: "BillingStatus",
  description:
    "none: not subscribed; active: paid up; past_due: a payment failed, writes work until the grace period ends; read_only: the grace period is over; cancelled: the subscription ended.",
});

@ObjectType()
export class CheckoutSession {
  @Field({ description: "Stripe Checkout: send the person there to pay." })
  url!: string;

  @Field(() => ID)
  sessionId!: string;
}

@ObjectType()
export class CustomerPortalSession {
  @Field({ description: "Stripe's Customer Portal: payment methods, invoices, plan changes, cancellation." })
  url!: string;
}

@ObjectType({ description: "The tenant's subscription, as Stripe's verified webhooks last described it." })
export class BillingAccount {
  @Field(() => BillingStatusValue)
  status!: string;

  @Field(() => PlanType, { nullable: true, description: "While the subscription lives." })
  plan!: PlanType | null;

  @Field(() => ID, { nullable: true, description: "The tenant's Stripe customer, once Checkout was started." })
  customerId!: string | null;

  @Field(() => ID, { nullable: true })
  subscriptionId!: string | null;

  @Field(() => Date, { nullable: true })
  currentPeriodStart!: Date | null;

  @Field(() => Date, { nullable: true })
  currentPeriodEnd!: Date | null;

  @Field(() => Date, { nullable: true, description: "Since when a payment is missing." })
  pastDueSince!: Date | null;

  @Field(() => Date, { nullable: true, description: "When writes stop unless the invoice is paid." })
  graceEndsAt!: Date | null;
}

@ObjectType({
  description:
    "What every member may know of the tenant's billing: whether writes work, and until when. The plan, the period and the Stripe ids are in billingAccount (billing:read).",
})
export class BillingStanding {
  @Field(() => BillingStatusValue)
  status!: string;

  @Field(() => Date, { nullable: true, description: "When writes stop unless the overdue invoice is paid (or stopped, when read-only)." })
  graceEndsAt!: Date | null;
}

const toBillingAccount = (a: BillingAccountView): BillingAccount => ({
  status: a.status,
  plan: a.plan ? toPlanType(a.plan) : null,
  customerId: a.stripeCustomerId,
  subscriptionId: a.stripeSubscriptionId,
  currentPeriodStart: a.currentPeriodStart,
  currentPeriodEnd: a.currentPeriodEnd,
  pastDueSince: a.pastDueSince,
  graceEndsAt: a.graceEndsAt,
});

@Resolver()
export class CheckoutResolver {
  @Query(() => BillingAccount)
  billingAccount(@Ctx() rc: RequestContext<BillingServices>): Promise<BillingAccount> {
    return tenantCall(rc, "billing:read", async (ctx) => toBillingAccount(await getBillingAccount(ctx)));
  }

  @Query(() => BillingStanding, {
    description: "The tenant's billing status and grace end, for every member (tenant:read): the portal's banner on every page.",
  })
  billingStanding(@Ctx() rc: RequestContext<BillingServices>): Promise<BillingStanding> {
    return tenantCall(rc, "tenant:read", (ctx) => getBillingStanding(ctx));
  }

  @Mutation(() => CheckoutSession, { description: "Subscribe to a plan through Stripe Checkout." })
  startCheckout(@Ctx() rc: RequestContext<BillingServices>, @Arg("planCode") planCode: string): Promise<CheckoutSession> {
    return tenantCall(rc, "billing:write", (ctx) => startCheckout(ctx, { planCode }));
  }

  @Mutation(() => CustomerPortalSession)
  openCustomerPortal(@Ctx() rc: RequestContext<BillingServices>): Promise<CustomerPortalSession> {
    return tenantCall(rc, "billing:write", (ctx) => openCustomerPortal(ctx));
  }
}
