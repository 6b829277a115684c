import type { TenantContext } from "../core/context.js";
import type { BillingDeps } from "./deps.js";
import { checkRange, type Granularity, type UsageRow, usageByPeriod } from "./finance-usage.js";
import { type InvoicePreview, invoicePreview } from "./invoice-preview.js";
import { type Reconciliation, reconcile } from "./reconciliation.js";
import type { Meter } from "./schema.js";

/**
 * A tenant's own billing figures (scope billing:read): usage by period, the running period's
 * invoice preview, and the reconciliation of usage with what was reported to Stripe. Every query
 * is filtered by the caller's tenant, and RLS holds it there as well.
 */

export interface UsageInput {
  readonly from: Date;
  readonly to: Date;
  readonly granularity: Granularity;
  readonly meter?: Meter | null | undefined;
}

export function tenantUsage(ctx: TenantContext, input: UsageInput): Promise<UsageRow[]> {
  const range = checkRange(input.from, input.to, input.granularity);
  return usageByPeriod(
    ctx.tx,
    { kind: "tenant", tenantId: ctx.principal.tenantId },
    {
      range,
      granularity: input.granularity,
      meter: input.meter ?? undefined,
    },
  );
}

export function tenantInvoicePreview(ctx: TenantContext<Pick<BillingDeps, "clock">>): Promise<InvoicePreview> {
  return invoicePreview(ctx.tx, { tenantId: ctx.principal.tenantId, now: ctx.deps.clock.now() });
}

/** Reconciliation is hour by hour, so its range is bounded as an hourly one. */
export function tenantReconciliation(ctx: TenantContext, input: { from: Date; to: Date }): Promise<Reconciliation> {
  const range = checkRange(input.from, input.to, "hour");
  return reconcile(ctx.tx, { kind: "tenant", tenantId: ctx.principal.tenantId }, range);
}
