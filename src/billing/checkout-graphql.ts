import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import type { RequestContext } from "../api/services.js";
import { tenantCall } from "../core/calls.js";
import type { TenantContext } from "../core/context.js";
import { type BillingContext, getBillingAccount, openCustomerPortal, startCheckout } from "./checkout.js";
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

const billing = (rc: RequestContext, ctx: TenantContext): BillingContext => ({
  ...ctx,
  stripe: rc.services.stripe,
  portalUrl: rc.services.config.PORTAL_URL,
});

@Resolver()
export class CheckoutResolver {
  @Query(() => BillingAccount)
  billingAccount(@Ctx() rc: RequestContext): Promise<BillingAccount> {
    return tenantCall(rc, "billing:read", async (ctx) => {
      const a = await getBillingAccount(ctx, { graceDays: rc.services.config.BILLING_GRACE_DAYS });
      return {
        status: a.status,
        plan: a.plan ? toPlanType(a.plan) : null,
        customerId: a.stripeCustomerId,
        subscriptionId: a.stripeSubscriptionId,
        currentPeriodStart: a.currentPeriodStart,
        currentPeriodEnd: a.currentPeriodEnd,
        pastDueSince: a.pastDueSince,
        graceEndsAt: a.graceEndsAt,
      };
    });
  }

  @Mutation(() => CheckoutSession, { description: "Subscribe to a plan through Stripe Checkout." })
  startCheckout(@Ctx() rc: RequestContext, @Arg("planCode") planCode: string): Promise<CheckoutSession> {
    return tenantCall(rc, "billing:write", (ctx) =>
      startCheckout(billing(rc, ctx), { planCode, graceDays: rc.services.config.BILLING_GRACE_DAYS }),
    );
  }

  @Mutation(() => CustomerPortalSession)
  openCustomerPortal(@Ctx() rc: RequestContext): Promise<CustomerPortalSession> {
    return tenantCall(rc, "billing:write", (ctx) => openCustomerPortal(billing(rc, ctx)));
  }
}
