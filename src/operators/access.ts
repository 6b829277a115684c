import { asc, eq, gt, sql } from "drizzle-orm";
import { recordForeignAudit } from "../audit/index.js";
import { decoyHash, type PublicContext, throttledPasswordCheck, verifyPassword } from "../auth/index.js";
import type { OperatorContext } from "../core/context.js";
import { forbidden, notFound, unauthenticated, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { normaliseEmail } from "../core/secrets.js";
import type { Tx } from "../db/client.js";
import { publicUserColumns, type Tenant } from "../tenancy/index.js";
import { memberships, tenants, users } from "../tenancy/schema.js";
import { operatorAccessLog, operators } from "./schema.js";

/**
 * The machine maker's staff reach across tenants only here, through the operator database role
 * (read-only on tenant data), and every read is logged with the operator and the reason in the
 * same transaction; a read of one tenant also lands in that tenant's own audit log.
 */
export type Operator = Omit<typeof operators.$inferSelect, "passwordHash" | "sessionGeneration">;

export function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 5 || trimmed.length > 500) {
    throw validation("Say why you need this access (5 to 500 characters); it is recorded.", { field: "reason" });
  }
  return trimmed;
}

/** Customers' machines and alerts are for support operators; finance operators see billing figures only. */
export function requireSupport(ctx: OperatorContext): void {
  if (ctx.principal.role !== "support") throw forbidden("Customers' machines and alerts are for support operators only.");
}

export async function logAccess(ctx: OperatorContext, tx: Tx, action: string, reason: string, tenantId?: string): Promise<void> {
  await tx.insert(operatorAccessLog).values({
    id: newId("operatorAccess"),
    operatorId: ctx.principal.operatorId,
    action,
    reason,
    subjectTenantId: tenantId ?? null,
    requestId: ctx.requestId,
  });
  if (tenantId) {
    await recordForeignAudit(tx, {
      tenantId,
      actor: { kind: "operator", id: ctx.principal.operatorId },
      action,
      targetType: "tenant",
      targetId: tenantId,
      data: { reason },
      requestId: ctx.requestId,
    });
  }
}

export async function operatorSignIn(
  ctx: PublicContext,
  input: { email: string; password: string },
): Promise<{ token: string; expiresAt: Date; operator: Operator }> {
  const email = normaliseEmail(input.email);
  const row = await throttledPasswordCheck(ctx.opsDb, { account: `operator:${email}`, clientAddress: ctx.clientAddress }, async () => {
    const [found] = await ctx.opsDb.db.select().from(operators).where(eq(operators.email, email));
    const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
    return found && ok && !found.disabledAt ? found : undefined;
  });
  if (!row) throw unauthenticated("The email or the password is wrong.");
  const { passwordHash: _, sessionGeneration, ...operator } = row;
  const issued = await ctx.tokens.issue({ kind: "operator", operatorId: row.id, generation: sessionGeneration });
  return { ...issued, operator };
}

export async function getOperator(ctx: OperatorContext): Promise<Operator> {
  const [row] = await ctx.opsDb.db
    .select({
      id: operators.id,
      email: operators.email,
      name: operators.name,
      role: operators.role,
      createdAt: operators.createdAt,
      disabledAt: operators.disabledAt,
    })
    .from(operators)
    .where(eq(operators.id, ctx.principal.operatorId));
  if (!row) throw notFound("Operator", ctx.principal.operatorId);
  return row;
}

export interface TenantSummary extends Tenant {
  readonly memberCount: number;
}

export async function listTenantsAsOperator(
  ctx: OperatorContext,
  input: { reason: string; page: PageRequest },
): Promise<Page<TenantSummary>> {
  const reason = checkReason(input.reason);
  return ctx.opsDb.db.transaction(async (tx) => {
    const rows = await tx
      .select({
        id: tenants.id,
        name: tenants.name,
        status: tenants.status,
        retentionDays: tenants.retentionDays,
        dailyPointQuota: tenants.dailyPointQuota,
        createdAt: tenants.createdAt,
        memberCount: sql<number>`(select count(*)::int from ${memberships} m where m.tenant_id = ${tenants.id})`,
      })
      .from(tenants)
      .where(input.page.afterKey ? gt(tenants.id, input.page.afterKey) : undefined)
      .orderBy(asc(tenants.id))
      .limit(input.page.first + 1);
    await logAccess(ctx, tx, "operator.tenants_listed", reason);
    return toPage(rows, input.page, (r) => r.id);
  });
}

export interface TenantDetail {
  readonly tenant: TenantSummary;
  readonly members: { userId: string; email: string; name: string; role: string; joinedAt: Date }[];
}

/** A lookup of an id that does not exist is recorded too: probing for tenants leaves a trace. */
export async function getTenantAsOperator(ctx: OperatorContext, input: { tenantId: string; reason: string }): Promise<TenantDetail> {
  const reason = checkReason(input.reason);
  const found = await ctx.opsDb.db.transaction(async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, input.tenantId));
    if (!tenant) {
      await logAccess(ctx, tx, "operator.tenant_not_found", `${reason} [looked up ${input.tenantId.slice(0, 64)}]`);
      return undefined;
    }
    const members = await tx
      .select({
        userId: memberships.userId,
        email: publicUserColumns.email,
        name: publicUserColumns.name,
        role: memberships.role,
        joinedAt: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, tenant.id))
      .orderBy(asc(memberships.userId));
    await logAccess(ctx, tx, "operator.tenant_viewed", reason, tenant.id);
    return { tenant: { ...tenant, memberCount: members.length }, members };
  });
  if (!found) throw notFound("Tenant", input.tenantId);
  return found;
}
