import { and, asc, eq, gt, ne, sql } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import type { TenantContext } from "../core/context.js";
import { conflict, forbidden, notFound } from "../core/errors.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { announce } from "../db/changes.js";
import { type MemberRole, memberships, tenants, users } from "./schema.js";

export interface Member {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly role: MemberRole;
  readonly joinedAt: Date;
}

/** The columns of users the application role may read (never the password hash). */
export const publicUserColumns = { id: users.id, email: users.email, name: users.name, createdAt: users.createdAt };

const memberColumns = {
  userId: memberships.userId,
  email: users.email,
  name: users.name,
  role: memberships.role,
  joinedAt: memberships.createdAt,
};

export async function listMembers(ctx: TenantContext, page: PageRequest): Promise<Page<Member>> {
  const tenant = eq(memberships.tenantId, ctx.principal.tenantId);
  const rows = await ctx.tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(page.afterKey ? and(tenant, gt(memberships.userId, page.afterKey)) : tenant)
    .orderBy(asc(memberships.userId))
    .limit(page.first + 1);
  return toPage(rows, page, (r) => r.userId);
}

export async function getMember(ctx: TenantContext, userId: string): Promise<Member> {
  const [row] = await ctx.tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, ctx.principal.tenantId), eq(memberships.userId, userId)));
  if (!row) throw notFound("Member", userId);
  return row;
}

/**
 * Serialises membership changes of one tenant (a row lock on the tenant) and re-reads the caller's
 * own role inside that lock, so two owners demoting each other cannot leave the tenant ownerless.
 */
async function lockMembership(ctx: TenantContext): Promise<MemberRole | undefined> {
  await ctx.tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, ctx.principal.tenantId)).for("update");
  if (ctx.principal.kind !== "member") return undefined;
  const [row] = await ctx.tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, ctx.principal.tenantId), eq(memberships.userId, ctx.principal.userId)));
  if (!row) throw forbidden("You are no longer a member of this tenant.");
  return row.role;
}

/** Only an owner may hand out or take away the owner role. */
function checkOwnerChange(callerRole: MemberRole | undefined, from: MemberRole, to: MemberRole | undefined): void {
  const touchesOwner = from === "owner" || to === "owner";
  if (touchesOwner && callerRole !== "owner") throw forbidden("Only an owner can grant or remove the owner role.");
}

async function ensureAnotherOwner(ctx: TenantContext, userId: string): Promise<void> {
  const [row] = await ctx.tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.tenantId, ctx.principal.tenantId), eq(memberships.role, "owner"), ne(memberships.userId, userId)));
  if ((row?.n ?? 0) === 0) throw conflict("A tenant must keep at least one owner; make someone else owner first.");
}

export async function updateMemberRole(ctx: TenantContext, input: { userId: string; role: MemberRole }): Promise<Member> {
  const callerRole = await lockMembership(ctx);
  const current = await getMember(ctx, input.userId);
  if (current.role === input.role) return current;
  checkOwnerChange(callerRole, current.role, input.role);
  if (current.role === "owner") await ensureAnotherOwner(ctx, input.userId);
  await ctx.tx
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.tenantId, ctx.principal.tenantId), eq(memberships.userId, input.userId)));
  // Every API process re-checks the member's open subscriptions (and the keys the member created).
  await announce(ctx.tx, { kind: "member", tenantId: ctx.principal.tenantId, userId: input.userId });
  await recordAudit(ctx, {
    action: "member.role_changed",
    targetType: "user",
    targetId: input.userId,
    data: { from: current.role, to: input.role },
  });
  return { ...current, role: input.role };
}

export async function removeMember(ctx: TenantContext, input: { userId: string }): Promise<Member> {
  const callerRole = await lockMembership(ctx);
  const current = await getMember(ctx, input.userId);
  checkOwnerChange(callerRole, current.role, undefined);
  if (current.role === "owner") await ensureAnotherOwner(ctx, input.userId);
  await ctx.tx.delete(memberships).where(and(eq(memberships.tenantId, ctx.principal.tenantId), eq(memberships.userId, input.userId)));
  await announce(ctx.tx, { kind: "member", tenantId: ctx.principal.tenantId, userId: input.userId });
  await recordAudit(ctx, { action: "member.removed", targetType: "user", targetId: input.userId, data: { role: current.role } });
  return current;
}
