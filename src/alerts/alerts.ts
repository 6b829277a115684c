import { and, eq, inArray, sql } from "drizzle-orm";
import { getAssetType } from "../assets/index.js";
import { assets } from "../assets/schema.js";
import { actorName, recordAudit, recordAudits } from "../audit/index.js";
import { actorOf, type TenantContext } from "../core/context.js";
import { conflict, notFound, validation } from "../core/errors.js";
import { announceAlertChanges } from "./raise.js";
import { alertRules, alerts } from "./schema.js";

export type AlertRule = Omit<typeof alertRules.$inferSelect, "tenantId">;

export const alertColumns = {
  id: alerts.id,
  assetId: alerts.assetId,
  assetName: assets.name,
  assetExternalId: assets.externalId,
  kind: alerts.kind,
  status: alerts.status,
  value: alerts.value,
  threshold: alerts.threshold,
  predictionId: alerts.predictionId,
  explanation: alerts.explanation,
  openedAt: alerts.openedAt,
  acknowledgedAt: alerts.acknowledgedAt,
  acknowledgedBy: alerts.acknowledgedBy,
  acknowledgedByName: actorName(alerts.acknowledgedBy, alerts.tenantId),
  resolvedAt: alerts.resolvedAt,
};

/** An alert with what a list row shows of its asset and of who acknowledged it. */
export type Alert = Omit<typeof alerts.$inferSelect, "tenantId"> & {
  readonly assetName: string;
  readonly assetExternalId: string;
  readonly acknowledgedByName: string | null;
};

/** Alerts joined to their assets: one query whatever the number of rows. */
export function selectAlerts(ctx: TenantContext) {
  return ctx.tx
    .select(alertColumns)
    .from(alerts)
    .innerJoin(assets, and(eq(assets.tenantId, alerts.tenantId), eq(assets.id, alerts.assetId)))
    .$dynamic();
}

export async function getAlert(ctx: TenantContext, id: string): Promise<Alert> {
  const [row] = await selectAlerts(ctx).where(and(eq(alerts.tenantId, ctx.principal.tenantId), eq(alerts.id, id)));
  if (!row) throw notFound("Alert", id);
  return row;
}

/** A person has seen the alert; it stays unresolved until a prediction clears the condition. Audited. */
export async function acknowledgeAlert(ctx: TenantContext, id: string): Promise<Alert> {
  const alert = await getAlert(ctx, id);
  if (alert.status !== "open") throw conflict(`Alert ${id} is ${alert.status} already.`, { status: alert.status });
  await markAcknowledged(ctx, [alert]);
  return getAlert(ctx, id);
}

/** Acknowledges the open ones of `open` as the caller, each with its audit entry. */
export async function markAcknowledged(ctx: TenantContext, open: readonly { id: string; assetId: string }[]): Promise<void> {
  if (open.length === 0) return;
  const actor = actorOf(ctx.principal);
  const changed = await ctx.tx
    .update(alerts)
    .set({ status: "acknowledged", acknowledgedAt: sql`now()`, acknowledgedBy: `${actor.kind}:${actor.id}` })
    .where(
      and(
        eq(alerts.tenantId, ctx.principal.tenantId),
        inArray(
          alerts.id,
          open.map((r) => r.id),
        ),
        eq(alerts.status, "open"),
      ),
    )
    .returning({ id: alerts.id });
  await announceAlertChanges(
    ctx,
    changed.map((r) => r.id),
    "acknowledged",
  );
  await recordAudits(
    ctx,
    open.map((r) => ({ action: "alert.acknowledge", targetType: "alert", targetId: r.id, data: { assetId: r.assetId } })),
  );
}

/** Sets the thresholds that raise alerts for an asset type's predictions. Audited. */
export async function setAlertRule(
  ctx: TenantContext,
  input: { assetTypeId: string; rulBelow: number | null; anomaly: boolean },
): Promise<AlertRule> {
  await getAssetType(ctx, input.assetTypeId);
  if (input.rulBelow !== null && !(Number.isFinite(input.rulBelow) && input.rulBelow > 0 && input.rulBelow <= 100_000)) {
    throw validation('"rulBelow" is a number of cycles above 0 (at most 100,000), or null for no remaining-life alerts.', {
      field: "rulBelow",
    });
  }
  const [row] = await ctx.tx
    .insert(alertRules)
    .values({ tenantId: ctx.principal.tenantId, assetTypeId: input.assetTypeId, rulBelow: input.rulBelow, anomaly: input.anomaly })
    .onConflictDoUpdate({
      target: [alertRules.tenantId, alertRules.assetTypeId],
      set: { rulBelow: input.rulBelow, anomaly: input.anomaly, updatedAt: new Date() },
    })
    .returning({
      assetTypeId: alertRules.assetTypeId,
      rulBelow: alertRules.rulBelow,
      anomaly: alertRules.anomaly,
      updatedAt: alertRules.updatedAt,
    });
  if (!row) throw new Error("The alert rule was not stored");
  await recordAudit(ctx, {
    action: "alert.rule",
    targetType: "asset_type",
    targetId: input.assetTypeId,
    data: { rulBelow: input.rulBelow, anomaly: input.anomaly },
  });
  return row;
}

export async function listAlertRules(ctx: TenantContext): Promise<AlertRule[]> {
  return ctx.tx
    .select({
      assetTypeId: alertRules.assetTypeId,
      rulBelow: alertRules.rulBelow,
      anomaly: alertRules.anomaly,
      updatedAt: alertRules.updatedAt,
    })
    .from(alertRules)
    .where(eq(alertRules.tenantId, ctx.principal.tenantId))
    .orderBy(alertRules.assetTypeId);
}

/** Alerts by id, for the subscription: only the caller's tenant's are found. */
export async function alertsByIds(ctx: TenantContext, ids: readonly string[]): Promise<Alert[]> {
  if (ids.length === 0) return [];
  return selectAlerts(ctx).where(and(eq(alerts.tenantId, ctx.principal.tenantId), inArray(alerts.id, [...ids])));
}
