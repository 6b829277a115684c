// The decorators below need the metadata polyfill first, whoever imports this file.
import "reflect-metadata";
import { Arg, Ctx, Field, Float, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from "type-graphql";
import { operatorCall, type RequestContext, tenantCall } from "../core/calls.js";
import type { BillingServices } from "./deps.js";
import { createPlan, listActivePlans, type Plan, seriesBudget, updatePlan } from "./plans.js";

@ObjectType({ description: "What a plan allows per UTC day and in total; null means no limit." })
export class PlanEntitlements {
  @Field(() => Float, { nullable: true, description: "Telemetry points accepted per day (a whole number)." })
  pointsPerDay!: number | null;

  @Field(() => Int, { nullable: true })
  predictionsPerDay!: number | null;

  @Field(() => Int, { nullable: true })
  trainingRunsPerDay!: number | null;

  @Field(() => Int, { nullable: true })
  maxAssets!: number | null;

  @Field(() => Int, { nullable: true })
  maxModels!: number | null;

  @Field(() => Int, { description: "Days telemetry is kept." })
  retentionDays!: number;

  @Field(() => Int, { description: "Distinct telemetry series (measurement and tag set) the tenant may hold." })
  maxSeries!: number;

  @Field(() => Int, {
    nullable: true,
    description: "GraphQL cost points per minute for each member and API key (the rate limit); null: the platform default.",
  })
  graphqlCostPerMinute!: number | null;
}

@ObjectType("Plan", { description: "A subscription plan. Amounts are whole numbers in the currency's minor unit (cents)." })
export class PlanType {
  @Field(() => ID)
  id!: string;

  @Field()
  code!: string;

  @Field()
  name!: string;

  @Field({ description: "ISO 4217 code in lower case." })
  currency!: string;

  @Field(() => Int, { description: "Monthly base price." })
  baseAmount!: number;

  @Field(() => Int, { description: "Per 1,000 points ingested (a started thousand counts)." })
  pointsAmountPer1000!: number;

  @Field(() => Int, { description: "Per prediction." })
  predictionAmount!: number;

  @Field(() => Int, { description: "Per training run." })
  trainingRunAmount!: number;

  @Field(() => PlanEntitlements)
  entitlements!: PlanEntitlements;

  @Field()
  active!: boolean;

  @Field({ description: "The free tier: the plan of every tenant without a subscription; it is not sold through checkout." })
  isDefault!: boolean;
}

@InputType("PlanInput")
export class PlanInputGql {
  @Field({ description: "1 to 40 of a-z, 0-9, '-', '_'; fixed once created." })
  code!: string;

  @Field()
  name!: string;

  @Field()
  currency!: string;

  @Field(() => Int)
  baseAmount!: number;

  @Field(() => Int)
  pointsAmountPer1000!: number;

  @Field(() => Int)
  predictionAmount!: number;

  @Field(() => Int)
  trainingRunAmount!: number;

  @Field(() => Float, { nullable: true })
  pointsPerDay?: number | null;

  @Field(() => Int, { nullable: true })
  predictionsPerDay?: number | null;

  @Field(() => Int, { nullable: true })
  trainingRunsPerDay?: number | null;

  @Field(() => Int, { nullable: true })
  maxAssets?: number | null;

  @Field(() => Int, { nullable: true })
  maxModels?: number | null;

  @Field(() => Int)
  retentionDays!: number;

  @Field(() => Int, { nullable: true, description: "Null: the platform default (50,000); at most 90,000." })
  maxSeries?: number | null;

  @Field(() => Int, { nullable: true, description: "Null: the platform default." })
  graphqlCostPerMinute?: number | null;

  @Field({ nullable: true, description: "Default true." })
  active?: boolean;
}

@InputType("PlanUpdateInput", { description: "An absent field stays as it is; a null limit means no limit." })
export class PlanUpdateInputGql {
  @Field({ nullable: true })
  name?: string;

  @Field({ nullable: true })
  currency?: string;

  @Field(() => Int, { nullable: true })
  baseAmount?: number;

  @Field(() => Int, { nullable: true })
  pointsAmountPer1000?: number;

  @Field(() => Int, { nullable: true })
  predictionAmount?: number;

  @Field(() => Int, { nullable: true })
  trainingRunAmount?: number;

  @Field(() => Float, { nullable: true })
  pointsPerDay?: number | null;

  @Field(() => Int, { nullable: true })
  predictionsPerDay?: number | null;

  @Field(() => Int, { nullable: true })
  trainingRunsPerDay?: number | null;

  @Field(() => Int, { nullable: true })
  maxAssets?: number | null;

  @Field(() => Int, { nullable: true })
  maxModels?: number | null;

  @Field(() => Int, { nullable: true })
  retentionDays?: number;

  @Field(() => Int, { nullable: true, description: "Null: the platform default (50,000); at most 90,000." })
  maxSeries?: number | null;

  @Field(() => Int, { nullable: true, description: "Null: the platform default." })
  graphqlCostPerMinute?: number | null;

  @Field({ nullable: true })
  active?: boolean;
}

export function toPlanType(p: Plan): PlanType {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    currency: p.currency,
    baseAmount: p.baseAmount,
    pointsAmountPer1000: p.pointsAmountPer1000,
    predictionAmount: p.predictionAmount,
    trainingRunAmount: p.trainingRunAmount,
    active: p.active,
    isDefault: p.isDefault,
    entitlements: {
      pointsPerDay: p.pointsPerDay,
      predictionsPerDay: p.predictionsPerDay,
      trainingRunsPerDay: p.trainingRunsPerDay,
      maxAssets: p.maxAssets,
      maxModels: p.maxModels,
      retentionDays: p.retentionDays,
      maxSeries: seriesBudget(p.maxSeries),
      graphqlCostPerMinute: p.graphqlCostPerMinute,
    },
  };
}

/** Required fields that GraphQL lets through as null are refused by the verb's checks. */
function change(input: PlanUpdateInputGql) {
  const { name, currency, baseAmount, pointsAmountPer1000, predictionAmount, trainingRunAmount, retentionDays, active } = input;
  return {
    name: name ?? undefined,
    currency: currency ?? undefined,
    baseAmount: baseAmount ?? undefined,
    pointsAmountPer1000: pointsAmountPer1000 ?? undefined,
    predictionAmount: predictionAmount ?? undefined,
    trainingRunAmount: trainingRunAmount ?? undefined,
    retentionDays: retentionDays ?? undefined,
    active: active ?? undefined,
    pointsPerDay: input.pointsPerDay,
    predictionsPerDay: input.predictionsPerDay,
    trainingRunsPerDay: input.trainingRunsPerDay,
    maxAssets: input.maxAssets,
    maxModels: input.maxModels,
    maxSeries: input.maxSeries,
    graphqlCostPerMinute: input.graphqlCostPerMinute,
  };
}

@Resolver()
export class PlanResolver {
  @Query(() => [PlanType], { description: "The plans on offer, cheapest first." })
  plans(@Ctx() rc: RequestContext<BillingServices>): Promise<PlanType[]> {
    return tenantCall(rc, "tenant:read", async (ctx) => (await listActivePlans(ctx)).map(toPlanType));
  }

  @Mutation(() => PlanType, {
    description: "Finance operators: a new plan. Put into Stripe by the catalogue sync. The reason is recorded.",
  })
  operatorCreatePlan(
    @Ctx() rc: RequestContext<BillingServices>,
    @Arg("input") input: PlanInputGql,
    @Arg("reason") reason: string,
  ): Promise<PlanType> {
    const plan = {
      ...input,
      pointsPerDay: input.pointsPerDay ?? null,
      predictionsPerDay: input.predictionsPerDay ?? null,
      trainingRunsPerDay: input.trainingRunsPerDay ?? null,
      maxAssets: input.maxAssets ?? null,
      maxModels: input.maxModels ?? null,
      maxSeries: input.maxSeries ?? null,
      graphqlCostPerMinute: input.graphqlCostPerMinute ?? null,
      active: input.active ?? true,
    };
    return operatorCall(rc, async (ctx) => toPlanType(await createPlan(ctx, { plan, reason })));
  }

  @Mutation(() => PlanType, {
    description: "Finance operators: change a plan. A changed amount becomes a new Stripe price at the next sync.",
  })
  operatorUpdatePlan(
    @Ctx() rc: RequestContext<BillingServices>,
    @Arg("id", () => ID) id: string,
    @Arg("input") input: PlanUpdateInputGql,
    @Arg("reason") reason: string,
  ): Promise<PlanType> {
    return operatorCall(rc, async (ctx) => toPlanType(await updatePlan(ctx, { id, change: change(input), reason })));
  }
}
