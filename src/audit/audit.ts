import { and, desc, eq, gte, like, lt, type SQL, sql } from "drizzle-orm";
import { actorOf, type TenantContext } from "../core/context.js";
import { validation } from "../core/errors.js";
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

export type AuditEntry = typeof auditLog.$inferSelect & { readonly actorName: string | null };

/** Which entries to list; every part narrows the list (all of them: the entries matching each). */
export interface AuditFilter {
  /** "user", "api_key", "operator", "workflow", "device", "stripe", … */
  readonly actorKind?: string | null | undefined;
  readonly actorId?: string | null | undefined;
  /** An exact action ("member.removed"), or a family ending in a dot ("member."). */
  readonly action?: string | null | undefined;
  /** Inclusive. */
  readonly from?: Date | null | undefined;
  /** Exclusive. */
  readonly to?: Date | null | undefined;
}

const MAX_FILTER_TEXT = 100;

function checkText(value: string | null | undefined, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_FILTER_TEXT) {
    throw validation(`"${field}" must be 1 to ${MAX_FILTER_TEXT} characters; leave it out to list every entry.`, { field });
  }
  return trimmed;
}

function filterConditions(filter: AuditFilter): SQL[] {
  const actorKind = checkText(filter.actorKind, "actorKind");
  const actorId = checkText(filter.actorId, "actorId");
  const action = checkText(filter.action, "action");
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) {
    throw validation('"from" must be before "to".', { field: "from" });
  }
  const conditions: SQL[] = [];
  if (actorKind) conditions.push(eq(auditLog.actorKind, actorKind));
  if (actorId) conditions.push(eq(auditLog.actorId, actorId));
  if (action?.endsWith(".")) {
    // A family: the prefix matched literally (% and _ in it match themselves).
    conditions.push(like(auditLog.action, `${action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  } else if (action) {
    conditions.push(eq(auditLog.action, action));
  }
  if (filter.from) conditions.push(gte(auditLog.createdAt, filter.from));
  if (filter.to) conditions.push(lt(auditLog.createdAt, filter.to));
  return conditions;
}

/**
 * The name of the person or API key that acted, in the same query (null for workflows, operators,
 * payment events, and a person no longer in the tenant).
 */
const auditActorName = sql<string | null>`case
  when ${auditLog.actorKind} = 'user' then (select u.name from users u where u.id = ${auditLog.actorId})
  when ${auditLog.actorKind} = 'api_key' then (select k.name from api_keys k where k.tenant_id = ${auditLog.tenantId} and k.id = ${auditLog.actorId})
end`;

/** Newest first, narrowed by `filter`. */
export async function listAudit(ctx: TenantContext, page: PageRequest, filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
  const conditions = [eq(auditLog.tenantId, ctx.principal.tenantId), ...filterConditions(filter)];
  if (page.afterKey) conditions.push(lt(auditLog.id, page.afterKey));
  const rows = await ctx.tx
    .select({
      tenantId: auditLog.tenantId,
      id: auditLog.id,
      actorKind: auditLog.actorKind,
      actorId: auditLog.actorId,
      actorName: auditActorName,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      data: auditLog.data,
      requestId: auditLog.requestId,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(and(...conditions))
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
