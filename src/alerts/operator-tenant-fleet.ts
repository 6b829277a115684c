import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import { assets, assetTypes } from "../assets/schema.js";
import type { OperatorContext } from "../core/context.js";
import { notFound } from "../core/errors.js";
import { tenants } from "../db/tenants.js";
import { checkReason, logAccess, requireSupport } from "../operators/index.js";
import { alerts } from "./schema.js";
import type { InboxEntry } from "./support-inbox.js";

/** How many assets and unresolved alerts one look at a tenant answers (the counts say how many there are). */
export const OPERATOR_FLEET_ASSETS = 500;
export const OPERATOR_FLEET_ALERTS = 100;

export interface OperatorAsset {
  readonly id: string;
  readonly externalId: string;
  readonly name: string;
  readonly assetTypeName: string;
  readonly unresolvedAlerts: number;
}

export interface OperatorTenantFleet {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly tenantStatus: string;
  readonly assetCount: number;
  readonly assets: OperatorAsset[];
  readonly unresolvedAlertCount: number;
  readonly alerts: InboxEntry[];
}

/**
 * One tenant's machines and unresolved alerts, for support on a customer's call: through the
 * operator role, logged with the reason in the operators' access log and in that tenant's own audit
 * log. Support operators only. An unknown tenant is NOT_FOUND, and the lookup is logged all the same.
 */
export async function operatorTenantFleet(ctx: OperatorContext, input: { tenantId: string; reason: string }): Promise<OperatorTenantFleet> {
  const reason = checkReason(input.reason);
  requireSupport(ctx);
  const found = await ctx.opsDb.db.transaction(async (tx) => {
    const [tenant] = await tx
      .select({ id: tenants.id, name: tenants.name, status: tenants.status })
      .from(tenants)
      .where(eq(tenants.id, input.tenantId));
    if (!tenant) {
      await logAccess(ctx, tx, "operator.tenant_not_found", `${reason} [looked up ${input.tenantId.slice(0, 64)}]`);
      return undefined;
    }
    const unresolved = and(eq(alerts.tenantId, tenant.id), ne(alerts.status, "resolved"));
    const [counts] = await tx
      .select({
        assetCount: sql<number>`(select count(*)::int from ${assets} a where a.tenant_id = ${tenant.id})`,
        alertCount: sql<number>`(select count(*)::int from ${alerts} al where al.tenant_id = ${tenant.id} and al.status <> 'resolved')`,
      })
      .from(tenants)
      .where(eq(tenants.id, tenant.id));
    const assetRows = await tx
      .select({
        id: assets.id,
        externalId: assets.externalId,
        name: assets.name,
        assetTypeName: assetTypes.name,
        unresolvedAlerts: sql<number>`(select count(*)::int from ${alerts} al where al.tenant_id = ${assets.tenantId} and al.asset_id = ${assets.id} and al.status <> 'resolved')`,
      })
      .from(assets)
      .innerJoin(assetTypes, and(eq(assetTypes.tenantId, assets.tenantId), eq(assetTypes.id, assets.assetTypeId)))
      .where(eq(assets.tenantId, tenant.id))
      .orderBy(asc(assets.externalId))
      .limit(OPERATOR_FLEET_ASSETS);
    const alertRows = await tx
      .select({
        tenantId: alerts.tenantId,
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
      .innerJoin(assets, and(eq(assets.tenantId, alerts.tenantId), eq(assets.id, alerts.assetId)))
      .where(unresolved)
      .orderBy(desc(alerts.id))
      .limit(OPERATOR_FLEET_ALERTS);
    await logAccess(ctx, tx, "operator.tenant_fleet_viewed", reason, tenant.id);
    return {
      tenantId: tenant.id,
      tenantName: tenant.name,
      tenantStatus: tenant.status,
      assetCount: counts?.assetCount ?? 0,
      assets: assetRows,
      unresolvedAlertCount: counts?.alertCount ?? 0,
      alerts: alertRows.map((a) => ({ ...a, tenantName: tenant.name })),
    };
  });
  if (!found) throw notFound("Tenant", input.tenantId);
  return found;
}
