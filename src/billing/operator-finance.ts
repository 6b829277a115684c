import { eq, inArray } from "drizzle-orm";
import type { OperatorContext } from "../core/context.js";
import { forbidden, notFound } from "../core/errors.js";
import type { Tx } from "../db/client.js";
import { tenants } from "../db/tenants.js";
import { checkReason, logAccess } from "../operators/index.js";
import type { BillingDeps } from "./deps.js";
import { checkRange, type Granularity, type UsageRow, usageByPeriod } from "./finance-usage.js";
import { type InvoicePreview, invoicePreview } from "./invoice-preview.js";
import { type Reconciliation, reconcile } from "./reconciliation.js";

/**
 * The platform's finance staff see billing figures across tenants: on the operator connection
 * (which reads every tenant's rows), each read logged with its reason in the same transaction.
 * Support operators are refused: billing is not theirs to see.
 */

function requireFinance(ctx: OperatorContext): void {
  if (ctx.principal.role !== "finance") throw forbidden("Billing figures across tenants are for finance operators only.");
}

export type Named<T> = T & { readonly tenantName: string };

async function withNames<T extends { tenantId: string }>(tx: Tx, rows: readonly T[]): Promise<Named<T>[]> {
  const ids = [...new Set(rows.map((r) => r.tenantId))];
  const names =
    ids.length === 0 ? [] : await tx.select({ id: tenants.id, name: tenants.name }).from(tenants).where(inArray(tenants.id, ids));
  const byId = new Map(names.map((n) => [n.id, n.name]));
  return rows.map((r) => ({ ...r, tenantName: byId.get(r.tenantId) ?? "" }));
}

export async function operatorUsage(
  ctx: OperatorContext,
  input: { reason: string; from: Date; to: Date; granularity: Granularity },
): Promise<Named<UsageRow>[]> {
  const reason = checkReason(input.reason);
  const range = checkRange(input.from, input.to, input.granularity);
  requireFinance(ctx);
  return ctx.opsDb.db.transaction(async (tx) => {
    const rows = await usageByPeriod(tx, { kind: "all" }, { range, granularity: input.granularity });
    await logAccess(ctx, tx, "operator.billing_usage", reason);
    return withNames(tx, rows);
  });
}

export async function operatorReconciliation(
  ctx: OperatorContext,
  input: { reason: string; from: Date; to: Date },
): Promise<{ hours: Named<Reconciliation["hours"][number]>[]; totals: Named<Reconciliation["totals"][number]>[] }> {
  const reason = checkReason(input.reason);
  const range = checkRange(input.from, input.to, "hour");
  requireFinance(ctx);
  return ctx.opsDb.db.transaction(async (tx) => {
    const result = await reconcile(tx, { kind: "all" }, range);
    await logAccess(ctx, tx, "operator.billing_reconciliation", reason);
    return { hours: await withNames(tx, result.hours), totals: await withNames(tx, result.totals) };
  });
}

/** One tenant's running invoice; recorded in that tenant's audit log too. An unknown tenant is NOT_FOUND (and logged). */
export async function operatorInvoicePreview(
  ctx: OperatorContext<Pick<BillingDeps, "clock">>,
  input: { tenantId: string; reason: string },
): Promise<InvoicePreview> {
  const reason = checkReason(input.reason);
  requireFinance(ctx);
  const found = await ctx.opsDb.db.transaction(async (tx) => {
    const [tenant] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, input.tenantId));
    if (!tenant) {
      await logAccess(ctx, tx, "operator.tenant_not_found", `${reason} [looked up ${input.tenantId.slice(0, 64)}]`);
      return undefined;
    }
    await logAccess(ctx, tx, "operator.billing_invoice_preview", reason, tenant.id);
    return tenant;
  });
  if (!found) throw notFound("Tenant", input.tenantId);
  // The preview itself reads in a transaction of its own: a tenant without a subscription answers
  // CONFLICT, and the access stays logged all the same.
  return ctx.opsDb.db.transaction((tx) => invoicePreview(tx, { tenantId: found.id, now: ctx.deps.clock.now() }));
}
