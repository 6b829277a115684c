import { and, eq, sql } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { newId } from "../core/ids.js";
import { pgArray } from "../db/client.js";
import { type AlertKind, alertRules } from "./schema.js";

/**
 * The Postgres channel every API process listens on for new alerts (payload: tenant and alert id)
 * and for alerts acknowledged or resolved (the same, and `changed`: the new status).
 */
export const ALERT_CHANNEL = "pdm_alerts";

/** Announces, when the transaction commits, that these alerts of the tenant now have `status`. */
export async function announceAlertChanges(
  ctx: TenantContext,
  alertIds: readonly string[],
  status: "acknowledged" | "resolved",
): Promise<void> {
  const tenantId = ctx.principal.tenantId;
  for (const alertId of alertIds) {
    await ctx.tx.execute(sql`select pg_notify(${ALERT_CHANNEL}, ${JSON.stringify({ tenantId, alertId, changed: status })})`);
  }
}

async function ruleOf(ctx: TenantContext, assetTypeId: string): Promise<{ rulBelow: number | null; anomaly: boolean } | undefined> {
  const [rule] = await ctx.tx
    .select({ rulBelow: alertRules.rulBelow, anomaly: alertRules.anomaly })
    .from(alertRules)
    .where(and(eq(alertRules.tenantId, ctx.principal.tenantId), eq(alertRules.assetTypeId, assetTypeId)));
  return rule;
}

interface Episode {
  readonly assetId: string;
  readonly predictionId: string;
  readonly value: number;
  readonly threshold: number;
  readonly explanation: Record<string, unknown>;
}

/**
 * The episode mechanics shared by every kind of alert: the alerts of assets whose condition
 * cleared are resolved; an asset whose condition holds gets an alert unless one is unresolved
 * (the partial unique index keeps one per asset and kind); new and resolved alerts are announced
 * on ALERT_CHANNEL when the transaction commits. Returns the new alerts' ids.
 */
async function updateEpisodes(
  ctx: TenantContext,
  kind: AlertKind,
  input: { cleared: readonly string[]; holding: readonly Episode[] },
): Promise<string[]> {
  const tenantId = ctx.principal.tenantId;
  if (input.cleared.length > 0) {
    const resolved = await ctx.tx.execute<{ id: string }>(sql`
      update alerts set status = 'resolved', resolved_at = now()
      where tenant_id = ${tenantId} and kind = ${kind} and status <> 'resolved'
        and asset_id = any(${pgArray(input.cleared)}::text[])
      returning id`);
    await announceAlertChanges(
      ctx,
      [...resolved].map((r) => r.id),
      "resolved",
    );
  }
  const raised: string[] = [];
  for (const e of input.holding) {
    const rows = await ctx.tx.execute<{ id: string }>(sql`
      insert into alerts (tenant_id, id, asset_id, kind, value, threshold, prediction_id, explanation)
      values (${tenantId}, ${newId("alert")}, ${e.assetId}, ${kind}, ${e.value}, ${e.threshold}, ${e.predictionId}, ${JSON.stringify(e.explanation)}::jsonb)
      on conflict (tenant_id, asset_id, kind) where status <> 'resolved' do nothing
      returning id`);
    for (const row of rows) raised.push(row.id);
  }
  for (const id of raised) {
    await ctx.tx.execute(sql`select pg_notify(${ALERT_CHANNEL}, ${JSON.stringify({ tenantId, alertId: id })})`);
  }
  return raised;
}

export interface RulScoreForAlerts {
  readonly assetId: string;
  readonly predictionId: string;
  readonly rul: number;
  readonly low: number;
  readonly high: number;
  readonly modelVersionId: string;
}

/**
 * The remaining-life side of the rule, in the transaction that stores the predictions: an asset
 * below the tenant's threshold holds the condition, one at or above it has cleared it.
 */
export async function applyRulRule(
  ctx: TenantContext,
  input: { assetTypeId: string; scores: readonly RulScoreForAlerts[] },
): Promise<string[]> {
  const threshold = (await ruleOf(ctx, input.assetTypeId))?.rulBelow;
  if (threshold === null || threshold === undefined || input.scores.length === 0) return [];
  return updateEpisodes(ctx, "rul_low", {
    cleared: input.scores.filter((s) => s.rul >= threshold).map((s) => s.assetId),
    holding: input.scores
      .filter((s) => s.rul < threshold)
      .map((s) => ({
        assetId: s.assetId,
        predictionId: s.predictionId,
        value: s.rul,
        threshold,
        explanation: {
          summary: `predicted remaining life ${s.rul.toFixed(1)} cycles (80% interval ${s.low.toFixed(0)}–${s.high.toFixed(0)}) is below the threshold of ${threshold}`,
          rul: s.rul,
          interval: [s.low, s.high],
          modelVersionId: s.modelVersionId,
        },
      })),
  });
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
  if (!(await ruleOf(ctx, input.assetTypeId))?.anomaly || input.scores.length === 0) return [];
  return updateEpisodes(ctx, "anomaly", {
    cleared: input.scores.filter((s) => !s.alarm).map((s) => s.assetId),
    holding: input.scores
      .filter((s) => s.alarm)
      .map((s) => ({
        assetId: s.assetId,
        predictionId: s.predictionId,
        value: s.score,
        threshold: s.threshold,
        explanation: {
          summary: `anomaly score ${s.score.toFixed(1)} above the threshold ${s.threshold.toFixed(1)}; most of it from ${s.topSensors
            .map((t) => `${t.sensor} (${Math.round(t.share * 100)}%)`)
            .join(", ")}`,
          topSensors: s.topSensors,
        },
      })),
  });
}
