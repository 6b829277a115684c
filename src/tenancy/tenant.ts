import { eq } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import type { TenantContext } from "../core/context.js";
import { validation } from "../core/errors.js";
import { tenants } from "./schema.js";

export type Tenant = typeof tenants.$inferSelect;

export function checkTenantName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 2 || trimmed.length > 120) {
    throw validation("The tenant name must be 2 to 120 characters long.", { field: "name" });
  }
  return trimmed;
}

export async function getTenant(ctx: TenantContext): Promise<Tenant> {
  const [row] = await ctx.tx.select().from(tenants).where(eq(tenants.id, ctx.principal.tenantId));
  if (!row) throw new Error(`Tenant ${ctx.principal.tenantId} of a valid principal is missing`);
  return row;
}

export async function renameTenant(ctx: TenantContext, input: { name: string }): Promise<Tenant> {
  const name = checkTenantName(input.name);
  const [row] = await ctx.tx.update(tenants).set({ name }).where(eq(tenants.id, ctx.principal.tenantId)).returning();
  if (!row) throw new Error(`Tenant ${ctx.principal.tenantId} of a valid principal is missing`);
  await recordAudit(ctx, { action: "tenant.renamed", targetType: "tenant", targetId: row.id, data: { name } });
  return row;
}
