// The decorators below need the metadata polyfill first, whoever imports this file.
import "reflect-metadata";
import { Ctx, Field, Float, Int, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { type RequestContext, tenantCall } from "../core/calls.js";
import { BillingStatusValue } from "./checkout-graphql.js";
import type { BillingServices } from "./deps.js";
import { UsageMeter } from "./finance-graphql.js";
import { PlanType, toPlanType } from "./plans-graphql.js";
import { quotaUse } from "./quota-use.js";
import type { CountEntitlement } from "./quotas.js";
import type { Meter } from "./schema.js";

export enum CountedEntitlement {
  MAX_ASSETS = "maxAssets",
  MAX_MODELS = "maxModels",
}
registerEnumType(CountedEntitlement, {
  name: "CountedEntitlement",
  description: "A limit on what exists (not on what is used per day): MAX_ASSETS, MAX_MODELS.",
});

@ObjectType({ description: "One meter today (UTC), as the daily quota counts it." })
export class DailyQuotaUse {
  @Field(() => UsageMeter)
  meter!: Meter;

  @Field(() => Float, { description: "Used today (a whole number)." })
  used!: number;

  @Field(() => Float, { nullable: true, description: "The daily limit that applies; null: no limit." })
  limit!: number | null;
}

@ObjectType({ description: "What exists of a counted entitlement against the plan's maximum." })
export class CountQuotaUse {
  @Field(() => CountedEntitlement)
  entitlement!: CountEntitlement;

  @Field(() => Int)
  used!: number;

  @Field(() => Int, { nullable: true, description: "The plan's maximum; null: no limit." })
  limit!: number | null;
}

@ObjectType({ description: "The tenant's use of its plan's limits now." })
export class QuotaUseResult {
  @Field(() => BillingStatusValue)
  billingStatus!: string;

  @Field(() => PlanType, {
    nullable: true,
    description: "The plan whose limits apply: the subscribed one, or the free tier without a live subscription.",
  })
  plan!: PlanType | null;

  @Field({ description: "The UTC day the daily figures count, YYYY-MM-DD." })
  day!: string;

  @Field({ description: "When the daily quotas start over (the next UTC midnight)." })
  resetsAt!: Date;

  @Field(() => [DailyQuotaUse], { description: "Points, predictions and training runs, in this order." })
  daily!: DailyQuotaUse[];

  @Field(() => [CountQuotaUse], { description: "Assets and models, in this order." })
  counts!: CountQuotaUse[];
}

@Resolver()
export class QuotaUseResolver {
  @Query(() => QuotaUseResult, {
    description: "Today's usage per meter against the daily limits, and the assets and models against the plan's maximum.",
  })
  quotaUse(@Ctx() rc: RequestContext<BillingServices>): Promise<QuotaUseResult> {
    return tenantCall(rc, "billing:read", async (ctx) => {
      const q = await quotaUse(ctx);
      return {
        billingStatus: q.state.status,
        plan: q.state.plan ? toPlanType(q.state.plan) : null,
        day: q.day,
        resetsAt: q.resetsAt,
        daily: [...q.daily],
        counts: [...q.counts],
      };
    });
  }
}
