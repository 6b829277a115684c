// The decorators below need the metadata polyfill first, whoever imports this file.
import "reflect-metadata";
import { Arg, Ctx, Field, Float, Int, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { type RequestContext, tenantCall } from "../core/calls.js";
import type { BillingServices } from "./deps.js";
import { tenantInvoicePreview, tenantReconciliation, tenantUsage } from "./finance.js";
import type { Granularity } from "./finance-usage.js";
import type { InvoicePreview } from "./invoice-preview.js";
import type { ReconciliationStatus } from "./reconciliation.js";
import type { Meter, PriceComponent, UnbillableReason } from "./schema.js";

export enum UsageMeter {
  POINTS_INGESTED = "points_ingested",
  PREDICTIONS = "predictions",
  TRAINING_RUNS = "training_runs",
}
registerEnumType(UsageMeter, { name: "UsageMeter", description: "What usage is counted in." });

export enum UsageGranularity {
  HOUR = "hour",
  DAY = "day",
  MONTH = "month",
}
registerEnumType(UsageGranularity, {
  name: "UsageGranularity",
  description: "UTC hours (ranges up to 31 days), days (400 days) or calendar months (1830 days).",
});

export enum InvoiceComponent {
  BASE = "base",
  POINTS_INGESTED = "points_ingested",
  PREDICTIONS = "predictions",
  TRAINING_RUNS = "training_runs",
}
registerEnumType(InvoiceComponent, { name: "InvoiceComponent" });

export enum ReconciliationStatusValue {
  MATCH = "match",
  UNREPORTED = "unreported",
  IN_FLIGHT = "in_flight",
  MISMATCH = "mismatch",
  REJECTED = "rejected",
  UNBILLABLE = "unbillable",
}
registerEnumType(ReconciliationStatusValue, {
  name: "ReconciliationStatus",
  description:
    "MATCH: Stripe confirmed all of the ledger's usage; UNREPORTED: usage not reported yet; IN_FLIGHT: reports sent or pending; MISMATCH: the hourly total differs from the ledger, or more was reported than counted; REJECTED: Stripe accepted some reports, then rejected them in its error report (see rejectedReason), so no invoice counts them; UNBILLABLE: some of it can reach no invoice (older than Stripe's 35 days, before the subscription, or the Stripe customer deleted), never confirmed.",
});

export enum UnbillableReasonValue {
  TOO_OLD = "too_old",
  BEFORE_SUBSCRIPTION = "before_subscription",
  CUSTOMER_DELETED = "customer_deleted",
}
registerEnumType(UnbillableReasonValue, {
  name: "UnbillableReason",
  description:
    "TOO_OLD: the hour is beyond the 35 days Stripe accepts meter events for; BEFORE_SUBSCRIPTION: the hour lies before the subscription started; CUSTOMER_DELETED: Stripe no longer knows the customer.",
});

@ObjectType({ description: "Usage of one meter in one period. Quantities are whole numbers (exact up to 2^53)." })
export class UsageEntry {
  @Field(() => UsageMeter)
  meter!: Meter;

  @Field({ description: "The start of the UTC hour, day or calendar month." })
  periodStart!: Date;

  @Field(() => Float)
  quantity!: number;
}

@ObjectType({ description: "One line of an invoice preview; amounts are whole numbers in the currency's minor unit." })
export class InvoiceLine {
  @Field(() => InvoiceComponent)
  component!: PriceComponent;

  @Field(() => Float, { description: "Units used: points, predictions, training runs; 1 for the base price." })
  quantity!: number;

  @Field(() => Int, { description: "Per unit; for points, per started 1,000." })
  unitAmount!: number;

  @Field(() => Float)
  amount!: number;

  @Field()
  description!: string;
}

@ObjectType({ description: "What the running billing period would cost so far." })
export class InvoicePreviewResult {
  @Field()
  planCode!: string;

  @Field()
  planName!: string;

  @Field({ description: "ISO 4217, lower case (as Stripe writes it)." })
  currency!: string;

  @Field()
  periodStart!: Date;

  @Field()
  periodEnd!: Date;

  @Field(() => [InvoiceLine])
  lines!: InvoiceLine[];

  @Field(() => Float, { description: "The sum of the lines, in minor units." })
  total!: number;
}

@ObjectType()
export class ReconciliationQuantities {
  @Field(() => UsageMeter)
  meter!: Meter;

  @Field(() => Float, { description: "Recomputed from the usage ledger (the source of truth)." })
  ledgerQuantity!: number;

  @Field(() => Float, { description: "The running hourly total that quotas read and the sync reports from." })
  hourlyQuantity!: number;

  @Field(() => Float, { description: "Every meter report, whatever its state." })
  reportedQuantity!: number;

  @Field(() => Float, { description: "Reports Stripe confirmed." })
  confirmedQuantity!: number;

  @Field(() => Float, { description: "Reports pending or sent, not yet confirmed." })
  inFlightQuantity!: number;

  @Field(() => Float, { description: "Reports Stripe rejected in its error report: no invoice counts them." })
  rejectedQuantity!: number;
  @Field(() => Float, { description: "Reports that no invoice can include (see operatorUnbillableUsage for why)." })
  unbillableQuantity!: number;

  @Field(() => ReconciliationStatusValue)
  status!: ReconciliationStatus;

  @Field(() => String, { nullable: true, description: "Stripe's reasons for the rejected reports (code: message; distinct), or null." })
  rejectedReason!: string | null;

  @Field(() => [UnbillableReasonValue], { description: "Why the unbillable reports can reach no invoice (distinct); empty without any." })
  unbillableReasons!: readonly UnbillableReason[];
}

@ObjectType({ description: "One meter in one UTC hour." })
export class ReconciliationHour extends ReconciliationQuantities {
  @Field()
  hour!: Date;
}

@ObjectType({ description: "One meter over the whole range." })
export class ReconciliationTotal extends ReconciliationQuantities {}

@ObjectType()
export class UsageReconciliation {
  @Field(() => [ReconciliationHour], { description: "Oldest hour first; hours without usage or reports are left out." })
  hours!: ReconciliationHour[];

  @Field(() => [ReconciliationTotal])
  totals!: ReconciliationTotal[];
}

export const toPreview = (p: InvoicePreview): InvoicePreviewResult => ({ ...p, lines: [...p.lines] });

/** The tenant's own billing figures, for its finance people (scope billing:read). */
@Resolver()
export class BillingFinanceResolver {
  @Query(() => [UsageEntry], { description: "Usage per meter and period, from the hourly totals; periods without usage are left out." })
  usage(
    @Ctx() rc: RequestContext<BillingServices>,
    @Arg("from", { description: "On a whole UTC hour." }) from: Date,
    @Arg("to", { description: "Exclusive; on a whole UTC hour." }) to: Date,
    @Arg("granularity", () => UsageGranularity) granularity: Granularity,
    @Arg("meter", () => UsageMeter, { nullable: true }) meter?: Meter | null,
  ): Promise<UsageEntry[]> {
    return tenantCall(rc, "billing:read", (ctx) => tenantUsage(ctx, { from, to, granularity, meter }));
  }

  @Query(() => InvoicePreviewResult, {
    description: "The running period's invoice so far. Without a subscription there is nothing to preview: CONFLICT.",
  })
  async invoicePreview(@Ctx() rc: RequestContext<BillingServices>): Promise<InvoicePreviewResult> {
    return toPreview(await tenantCall(rc, "billing:read", (ctx) => tenantInvoicePreview(ctx)));
  }

  @Query(() => UsageReconciliation, {
    description: "Hour by hour: the ledger, the hourly totals and the Stripe meter reports side by side (ranges up to 31 days).",
  })
  async usageReconciliation(
    @Ctx() rc: RequestContext<BillingServices>,
    @Arg("from") from: Date,
    @Arg("to") to: Date,
  ): Promise<UsageReconciliation> {
    const r = await tenantCall(rc, "billing:read", (ctx) => tenantReconciliation(ctx, { from, to }));
    return { hours: [...r.hours], totals: [...r.totals] };
  }
}
