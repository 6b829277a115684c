import { applyRulRule } from "../alerts/raise.js";
import type { TenantContext } from "../core/context.js";
import { newId } from "../core/ids.js";
import { decodeRulModel } from "../ml/model-format.js";
import { predictRul } from "../ml/rul-model.js";
import type { ModelVersion } from "../models/versions.js";
import { loadArtifact } from "../models/versions.js";
import type { TelemetryStore } from "../telemetry/index.js";
import type { FleetPlan } from "./fleet.js";
import type { ModelCache } from "./model-cache.js";
import { type FleetSeries, readFleetSeries } from "./series.js";
import { storePredictions } from "./store-predictions.js";

export interface RulScore {
  readonly predictionId: string;
  readonly assetId: string;
  readonly rul: number;
  readonly low: number;
  readonly high: number;
  readonly dataTime: Date;
  readonly modelVersionId: string;
}

/**
 * Remaining life of each asset of the plan at its latest row, with the given version; stored with
 * the usage (one prediction each) in the caller's transaction. Assets without telemetry are skipped.
 */
export async function scoreRul(
  ctx: TenantContext,
  deps: { store: TelemetryStore; models: ModelCache },
  input: { plan: FleetPlan; version: ModelVersion; source: string; usageKey: string; fleet?: FleetSeries },
): Promise<{ scores: RulScore[]; skipped: string[]; billed: boolean; alertIds: string[] }> {
  const tenantId = ctx.principal.tenantId;
  const model = await deps.models.get(
    { tenantId, sha256: input.version.artifactSha256 },
    () => loadArtifact(ctx, input.version.artifactSha256),
    decodeRulModel,
  );
  const fleet = input.fleet ?? (await readFleetSeries(deps.store, input.plan));
  const scores: RulScore[] = [];
  fleet.set.assets.forEach((asset, i) => {
    const times = fleet.times[i];
    if (!times || times.length === 0) return;
    const p = predictRul(model, asset);
    scores.push({
      predictionId: newId("prediction"),
      assetId: asset.id,
      rul: p.rul,
      low: p.interval[0],
      high: p.interval[1],
      dataTime: new Date(times[times.length - 1] ?? 0),
      modelVersionId: input.version.id,
    });
  });
  const seen = new Set(scores.map((s) => s.assetId));
  const skipped = input.plan.assets.filter((a) => !seen.has(a.assetId)).map((a) => a.assetId);
  if (scores.length === 0) return { scores, skipped, billed: false, alertIds: [] };
  const billed = await storePredictions(ctx, {
    source: input.source,
    usageKey: input.usageKey,
    rows: scores.map((s) => ({
      id: s.predictionId,
      assetId: s.assetId,
      task: "rul" as const,
      modelVersionId: s.modelVersionId,
      dataTime: s.dataTime,
      rul: s.rul,
      rulLow: s.low,
      rulHigh: s.high,
    })),
  });
  if (!billed) return { scores: [], skipped, billed: false, alertIds: [] };
  const alertIds = await applyRulRule(ctx, { assetTypeId: input.plan.assetTypeId, scores });
  return { scores, skipped, billed, alertIds };
}
