import { and, desc, eq, lt, ne, type SQL } from "drizzle-orm";
import { assets } from "../assets/schema.js";
import type { OperatorContext } from "../core/context.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { tenants } from "../db/tenants.js";
import { checkReason, logAccess, requireSupport } from "../operators/index.js";
import { alerts } from "./schema.js";

export interface InboxEntry {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly assetId: string;
  readonly assetExternalId: string;
  readonly alertId: string;
  readonly kind: string;
  readonly status: string;
  readonly value: number;
  readonly threshold: number;
  readonly explanation: Record<string, unknown>;
  readonly openedAt: Date;
}

/**
 * The machine maker's support inbox: unresolved alerts of every tenant, newest first, so that
 * support can call a customer about unusual readings. Through the operator role, with the reason
 * recorded in the operators' access log. Support operators only.
 */
export async function supportInbox(ctx: OperatorContext, input: { reason: string; page: PageRequest }): Promise<Page<InboxEntry>> {
  const reason = checkReason(input.reason);
  requireSupport(ctx);
  return ctx.opsDb.db.transaction(async (tx) => {
    const filters: SQL[] = [ne(alerts.status, "resolved")];
    if (input.page.afterKey) filters.push(lt(alerts.id, input.page.afterKey));
    const rows = await tx
      .select({
        tenantId: alerts.tenantId,
        tenantName: tenants.name,
        assetId: alerts.assetId,
        assetExternalId: assets.externalId,
        alertId: alerts.id,
        kind: alerts.kind,
        status: alerts.status,
        value: alerts.value,
        threshold: alerts.threshold,
        explanation: alerts.explanation,
        openedAt: alerts.openedAt,
      })
      .from(alerts)
      .innerJoin(tenants, eq(tenants.id, alerts.tenantId))
      .innerJoin(assets, and(eq(assets.tenantId, alerts.tenantId), eq(assets.id, alerts.assetId)))
      .where(and(...filters))
      .orderBy(desc(alerts.id))
      .limit(input.page.first + 1);
    await logAccess(ctx, tx, "operator.support_inbox", reason);
    return toPage<InboxEntry>(rows, input.page, (r) => r.alertId);
  });
}
