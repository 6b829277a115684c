// The decorators below need the metadata polyfill first, whoever imports this file.
import "reflect-metadata";
import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { operatorCall, type RequestContext } from "../core/calls.js";
import type { BillingServices } from "./deps.js";
import { UnbillableReasonValue, UsageMeter } from "./finance-graphql.js";
import { operatorUnbillableUsage } from "./operator-unbillable.js";
import type { Meter, UnbillableReason } from "./schema.js";

@ObjectType({ description: "A tenant's usage of one meter that no invoice can include, for one reason." })
export class UnbillableUsageEntry {
  @Field(() => ID)
  tenantId!: string;

  @Field()
  tenantName!: string;

  @Field(() => UsageMeter)
  meter!: Meter;

  @Field(() => UnbillableReasonValue)
  reason!: UnbillableReason;

  @Field(() => Int, { description: "Distinct UTC hours." })
  hours!: number;

  @Field()
  firstHour!: Date;

  @Field()
  lastHour!: Date;

  @Field(() => Float)
  quantity!: number;

  @Field(() => String, { nullable: true, description: "The plan the amount is priced on: the subscribed plan, else the default." })
  planCode!: string | null;

  @Field(() => String, { nullable: true })
  currency!: string | null;

  @Field(() => Float, { description: "Minor units, priced as the invoice preview prices (points per started 1,000)." })
  amount!: number;
}

@Resolver()
export class OperatorUnbillableResolver {
  @Query(() => [UnbillableUsageEntry], {
    description:
      "Every tenant's usage that no invoice can include, with the amount it represents. Finance operators; the reason is recorded.",
  })
  operatorUnbillableUsage(@Ctx() rc: RequestContext<BillingServices>, @Arg("reason") reason: string): Promise<UnbillableUsageEntry[]> {
    return operatorCall(rc, (ctx) => operatorUnbillableUsage(ctx, { reason }));
  }
}
