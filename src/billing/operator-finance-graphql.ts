// The decorators below need the metadata polyfill first, whoever imports this file.
import "reflect-metadata";
import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from "type-graphql";
import { operatorCall, type RequestContext } from "../core/calls.js";
import type { BillingServices } from "./deps.js";
import {
  InvoicePreviewResult,
  ReconciliationHour,
  ReconciliationTotal,
  toPreview,
  UsageEntry,
  UsageGranularity,
} from "./finance-graphql.js";
import type { Granularity } from "./finance-usage.js";
import { operatorInvoicePreview, operatorReconciliation, operatorUsage } from "./operator-finance.js";

@ObjectType({ description: "A tenant's usage of one meter in one period." })
export class OperatorUsageEntry extends UsageEntry {
  @Field(() => ID)
  tenantId!: string;

  @Field()
  tenantName!: string;
}

@ObjectType()
export class OperatorReconciliationHour extends ReconciliationHour {
  @Field(() => ID)
  tenantId!: string;

  @Field()
  tenantName!: string;
}

@ObjectType()
export class OperatorReconciliationTotal extends ReconciliationTotal {
  @Field(() => ID)
  tenantId!: string;

  @Field()
  tenantName!: string;
}

@ObjectType()
export class OperatorReconciliation {
  @Field(() => [OperatorReconciliationHour])
  hours!: OperatorReconciliationHour[];

  @Field(() => [OperatorReconciliationTotal], { description: "Per tenant and meter." })
  totals!: OperatorReconciliationTotal[];
}

/** Billing figures across tenants, for finance operators; each read is logged with its reason. */
@Resolver()
export class OperatorFinanceResolver {
  @Query(() => [OperatorUsageEntry], {
    description: "Every tenant's usage per meter and period. Finance operators; the reason is recorded.",
  })
  operatorUsage(
    @Ctx() rc: RequestContext<BillingServices>,
    @Arg("reason") reason: string,
    @Arg("from") from: Date,
    @Arg("to") to: Date,
    @Arg("granularity", () => UsageGranularity) granularity: Granularity,
  ): Promise<OperatorUsageEntry[]> {
    return operatorCall(rc, (ctx) => operatorUsage(ctx, { reason, from, to, granularity }));
  }

  @Query(() => OperatorReconciliation, {
    description: "Every tenant's usage against its meter reports, hour by hour (up to 31 days). Finance operators; the reason is recorded.",
  })
  operatorReconciliation(
    @Ctx() rc: RequestContext<BillingServices>,
    @Arg("reason") reason: string,
    @Arg("from") from: Date,
    @Arg("to") to: Date,
  ): Promise<OperatorReconciliation> {
    return operatorCall(rc, (ctx) => operatorReconciliation(ctx, { reason, from, to }));
  }

  @Query(() => InvoicePreviewResult, {
    description: "One tenant's running invoice. Finance operators; recorded with the reason in that tenant's audit log too.",
  })
  async operatorInvoicePreview(
    @Ctx() rc: RequestContext<BillingServices>,
    @Arg("tenantId", () => ID) tenantId: string,
    @Arg("reason") reason: string,
  ): Promise<InvoicePreviewResult> {
    return toPreview(await operatorCall(rc, (ctx) => operatorInvoicePreview(ctx, { tenantId, reason })));
  }
}
