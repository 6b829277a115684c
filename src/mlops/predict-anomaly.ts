import { applyAnomalyRule } from "../alerts/index.js";
import type { TenantContext } from "../core/context.js";
import { newId } from "../core/ids.js";
import { explainAnomaly, scoreAnomalies } from "../ml/anomaly.js";
import { decodeAnomalyModel } from "../ml/anomaly-format.js";
import { loadArtifact, type ModelVersion } from "../models/index.js";
import type { MlopsDeps } from "./deps.js";
import type { FleetSeries } from "./series.js";
import { storePredictions } from "./store-predictions.js";

/**
 * Anomaly scores of the fleet at each asset's latest row with the anomaly champion, with the
 * sensors that contribute most; stored and billed (one prediction each) in the caller's
 * transaction, and alerts raised when the tenant's rule asks for them. Returns new alert ids.
 */
export async function scoreAnomaly(
  ctx: TenantContext<Pick<MlopsDeps, "models">>,
  input: { assetTypeId: string; fleet: FleetSeries; version: ModelVersion; source: string; usageKey: string },
): Promise<{ scored: number; alertIds: string[] }> {
  const tenantId = ctx.principal.tenantId;
  const model = await ctx.deps.models.get(
    { tenantId, sha256: input.version.artifactSha256 },
    () => loadArtifact(ctx, input.version.artifactSha256),
    decodeAnomalyModel,
  );
  const rows = input.fleet.set.assets.flatMap((asset, i) => {
    const times = input.fleet.times[i];
    const n = asset.time.length;
    if (!times || n <= model.params.baselineRows) return [];
    const scores = scoreAnomalies(model, asset);
    const score = scores.score[n - 1] ?? 0;
    const topSensors = explainAnomaly(model, asset, n - 1)
      .slice(0, 3)
      .map((c) => ({ sensor: c.sensor, share: c.share }));
    return [
      {
        id: newId("prediction"),
        assetId: asset.id,
        score,
        alarm: (scores.alarm[n - 1] ?? 0) === 1,
        topSensors,
        dataTime: new Date(times[n - 1] ?? 0),
      },
    ];
  });
  if (rows.length === 0) return { scored: 0, alertIds: [] };
  const billed = await storePredictions(ctx, {
    source: input.source,
    usageKey: input.usageKey,
    rows: rows.map((r) => ({
      id: r.id,
      assetId: r.assetId,
      task: "anomaly" as const,
      modelVersionId: input.version.id,
      dataTime: r.dataTime,
      anomalyScore: r.score,
      anomalyThreshold: model.threshold,
      explanation: { alarm: r.alarm, topSensors: r.topSensors },
    })),
  });
  if (!billed) return { scored: 0, alertIds: [] };
  const alertIds = await applyAnomalyRule(ctx, {
    assetTypeId: input.assetTypeId,
    scores: rows.map((r) => ({
      assetId: r.assetId,
      predictionId: r.id,
      score: r.score,
      threshold: model.threshold,
      alarm: r.alarm,
      topSensors: r.topSensors,
    })),
  });
  return { scored: rows.length, alertIds };
}
