import { and, eq, sql } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { newId } from "../core/ids.js";
import { alertRules } from "./schema.js";

/** The Postgres channel every API process listens on for new alerts (payload: tenant and alert id). */
export const ALERT_CHANNEL = "pdm_alerts";

export interface RulScoreForAlerts {
  readonly assetId: string;
  readonly predictionId: string;
  readonly rul: number;
  readonly low: number;
  readonly high: number;
  readonly modelVersionId: string;
}

/**
 * Applies the asset type's rule to fresh remaining-life predictions, in the transaction that
 * stores them: an asset below the threshold gets an alert unless one is unresolved already (one
 * per episode); an asset back at or above it has its alert resolved. New alerts are announced on
 * ALERT_CHANNEL when the transaction commits. Returns the new alerts' ids.
 */
export async function applyRulRule(
  ctx: TenantContext,
  input: { assetTypeId: string; scores: readonly RulScoreForAlerts[] },
): Promise<string[]> {
  const tenantId = ctx.principal.tenantId;
  const [rule] = await ctx.tx
    .select({ rulBelow: alertRules.rulBelow })
    .from(alertRules)
    .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.assetTypeId, input.assetTypeId)));
  const threshold = rule?.rulBelow;
  if (threshold === null || threshold === undefined || input.scores.length === 0) return [];
  const below = input.scores.filter((s) => s.rul < threshold);
  const recovered = input.scores.filter((s) => s.rul >= threshold).map((s) => s.assetId);
  if (recovered.length > 0) {
    await ctx.tx.execute(sql`
      update alerts set status = 'resolved', resolved_at = now()
      where tenant_id = ${tenantId} and kind = 'rul_low' and status <> 'resolved'
        and asset_id = any(${`{${recovered.join(",")}}`}::text[])`);
  }
  const raised: string[] = [];
  for (const s of below) {
    const explanation = {
      summary: `predicted remaining life ${s.rul.toFixed(1)} cycles (80% interval ${s.low.toFixed(0)}–${s.high.toFixed(0)}) is below the threshold of ${threshold}`,
      rul: s.rul,
      interval: [s.low, s.high],
      modelVersionId: s.modelVersionId,
    };
    const rows = await ctx.tx.execute<{ id: string }>(sql`
      insert into alerts (tenant_id, id, asset_id, kind, value, threshold, prediction_id, explanation)
      values (${tenantId}, ${newId("alert")}, ${s.assetId}, 'rul_low', ${s.rul}, ${threshold}, ${s.predictionId}, ${JSON.stringify(explanation)}::jsonb)
      on conflict (tenant_id, asset_id, kind) where status <> 'resolved' do nothing
      returning id`);
    for (const row of rows) raised.push(row.id);
  }
  for (const id of raised) {
    await ctx.tx.execute(sql`select pg_notify(${ALERT_CHANNEL}, ${JSON.stringify({ tenantId, alertId: id })})`);
  }
  return raised;
}

export interface AnomalyScoreForAlerts {
  readonly assetId: string;
  readonly predictionId: string;
  readonly score: number;
  readonly threshold: number;
  /** The model's alarm (persistence rows above the threshold) stands at the latest row. */
  readonly alarm: boolean;
  readonly topSensors: readonly { sensor: string; share: number }[];
}

/**
 * The anomaly side of the rule: when the tenant asked for anomaly alerts, an asset whose alarm
 * stands gets one alert per episode, with the sensors that contribute most; an asset whose alarm
 * ended has its alert resolved. Returns the new alerts' ids.
 */
export async function applyAnomalyRule(
  ctx: TenantContext,
  input: { assetTypeId: string; scores: readonly AnomalyScoreForAlerts[] },
): Promise<string[]> {
  const tenantId = ctx.principal.tenantId;
  const [rule] = await ctx.tx
    .select({ anomaly: alertRules.anomaly })
    .from(alertRules)
    .where(and(eq(alertRules.tenantId, tenantId), eq(alertRules.assetTypeId, input.assetTypeId)));
  if (!rule?.anomaly || input.scores.length === 0) return [];
  const cleared = input.scores.filter((s) => !s.alarm).map((s) => s.assetId);
  if (cleared.length > 0) {
    await ctx.tx.execute(sql`
      update alerts set status = 'resolved', resolved_at = now()
      where tenant_id = ${tenantId} and kind = 'anomaly' and status <> 'resolved'
        and asset_id = any(${`{${cleared.join(",")}}`}::text[])`);
  }
  const raised: string[] = [];
  for (const s of input.scores.filter((x) => x.alarm)) {
    const names = s.topSensors.map((t) => `${t.sensor} (${Math.round(t.share * 100)}%)`).join(", ");
    const explanation = {
      summary: `anomaly score ${s.score.toFixed(1)} above the threshold ${s.threshold.toFixed(1)}; most of it from ${names}`,
      topSensors: s.topSensors,
    };
    const rows = await ctx.tx.execute<{ id: string }>(sql`
      insert into alerts (tenant_id, id, asset_id, kind, value, threshold, prediction_id, explanation)
      values (${tenantId}, ${newId("alert")}, ${s.assetId}, 'anomaly', ${s.score}, ${s.threshold}, ${s.predictionId}, ${JSON.stringify(explanation)}::jsonb)
      on conflict (tenant_id, asset_id, kind) where status <> 'resolved' do nothing
      returning id`);
    for (const row of rows) raised.push(row.id);
  }
  for (const id of raised) {
    await ctx.tx.execute(sql`select pg_notify(${ALERT_CHANNEL}, ${JSON.stringify({ tenantId, alertId: id })})`);
  }
  return raised;
}
