import { and, desc, eq, lt } from "drizzle-orm";
import { actorOf, type TenantContext } from "../core/context.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import type { Tx } from "../db/client.js";
import { auditLog } from "./schema.js";

export interface AuditInput {
  readonly action: string;
  readonly targetType: string;
  readonly targetId: string;
  readonly data?: Record<string, unknown>;
}

/** Records a write in the same transaction as the write itself. */
export function recordAudit(ctx: TenantContext, input: AuditInput): Promise<void> {
  return recordAudits(ctx, [input]);
}

/** Records several writes with one statement, in the same transaction as the writes. */
export async function recordAudits(ctx: TenantContext, inputs: readonly AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const actor = actorOf(ctx.principal);
  await ctx.tx.insert(auditLog).values(
    inputs.map((input) => ({
      tenantId: ctx.principal.tenantId,
      id: newId("audit"),
      actorKind: actor.kind,
      actorId: actor.id,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      data: input.data ?? {},
      requestId: ctx.requestId,
    })),
  );
}

export type AuditEntry = typeof auditLog.$inferSelect;

/** Newest first. */
export async function listAudit(ctx: TenantContext, page: PageRequest): Promise<Page<AuditEntry>> {
  const tenant = eq(auditLog.tenantId, ctx.principal.tenantId);
  const rows = await ctx.tx
    .select()
    .from(auditLog)
    .where(page.afterKey ? and(tenant, lt(auditLog.id, page.afterKey)) : tenant)
    .orderBy(desc(auditLog.id))
    .limit(page.first + 1);
  return toPage(rows, page, (r) => r.id);
}

/**
 * Records a write made by an actor outside the tenant (an operator, a payment provider's event)
 * in that tenant's audit log, in the transaction `tx` of the write.
 */
export async function recordForeignAudit(
  tx: Tx,
  entry: AuditInput & {
    readonly tenantId: string;
    readonly actor: { readonly kind: string; readonly id: string };
    readonly requestId: string;
  },
): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: entry.tenantId,
    id: newId("audit"),
    actorKind: entry.actor.kind,
    actorId: entry.actor.id,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    data: entry.data ?? {},
    requestId: entry.requestId,
  });
}
