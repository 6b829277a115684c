import { type AnomalyModel, fitAnomalyModel, scoreAnomalies } from "../ml/anomaly.js";
import { decodeAnomalyModel, encodeAnomalyModel } from "../ml/anomaly-format.js";
import type { AssetSeries, SeriesSet } from "../ml/series.js";

/** Share of the healthy rows (each asset's first part) in alarm: the false alarms a model would raise there. */
export function falseAlarmShare(model: AnomalyModel, assets: readonly AssetSeries[]): { share: number; rows: number } {
  let alarms = 0;
  let rows = 0;
  for (const asset of assets) {
    const { alarm } = scoreAnomalies(model, asset);
    const healthy = Math.floor(asset.time.length * model.params.healthyFraction);
    for (let i = model.params.baselineRows; i < healthy; i++) {
      rows++;
      alarms += alarm[i] ?? 0;
    }
  }
  return { share: rows > 0 ? alarms / rows : 0, rows };
}

export interface AnomalyFitJob {
  /** The assets the candidate learns from (all but the holdout), and the holdout it is judged on. */
  readonly train: SeriesSet;
  readonly holdout: readonly AssetSeries[];
  /** Every asset: the stored model learns from all of them. */
  readonly all: SeriesSet;
  /** The champion's artifact, judged on the same holdout; null without one. */
  readonly champion: string | null;
}

export interface AnomalyFitOutcome {
  readonly artifact: string;
  readonly candidateHoldout: { readonly share: number; readonly rows: number };
  readonly championHoldout: { readonly share: number; readonly rows: number } | null;
  readonly threshold: number;
  readonly params: AnomalyModel["params"];
  readonly fitSeconds: number;
}

/**
 * Fits an anomaly model: the candidate without the holdout (judged with the champion by their
 * false alarms on the holdout's healthy rows), and the model to store on every asset.
 */
export function fitAnomaly(job: AnomalyFitJob, onProgress: (share: number) => void): AnomalyFitOutcome {
  const started = performance.now();
  onProgress(0);
  const candidate = fitAnomalyModel(job.train);
  onProgress(0.5);
  const model = fitAnomalyModel(job.all);
  const candidateHoldout = falseAlarmShare(candidate, job.holdout);
  const championHoldout = job.champion === null ? null : falseAlarmShare(decodeAnomalyModel(job.champion), job.holdout);
  return {
    artifact: encodeAnomalyModel(model),
    candidateHoldout,
    championHoldout,
    threshold: model.threshold,
    params: model.params,
    fitSeconds: (performance.now() - started) / 1000,
  };
}
