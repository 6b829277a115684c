import { type AnomalyParams, fitAnomalyModel, scoreAnomalies } from "./anomaly.js";
import { complement, groupFolds } from "./folds.js";
import { median } from "./metrics.js";
import { deriveSeed } from "./random.js";
import { type AssetSeries, type SeriesSet, selectAssets } from "./series.js";

export interface AnomalyEvalOptions {
  readonly folds: number;
  readonly seed: number;
  /** The start of life, as a share of each asset's rows, in which any alarm is a false alarm. */
  readonly earlyFraction: number;
}

export const DEFAULT_ANOMALY_EVAL: AnomalyEvalOptions = { folds: 5, seed: 7, earlyFraction: 0.3 };

export interface AnomalyEvaluation {
  readonly assets: number;
  /** Share of assets with an alarm at any time before failure. */
  readonly flaggedShare: number;
  /** Median cycles from the first alarm to the last cycle, over flagged assets. */
  readonly medianLeadTime: number;
  /** Share of assets with an alarm after the early period (a detection that is not a false alarm). */
  readonly detectedShare: number;
  /** Median cycles from the first alarm after the early period to the last cycle (0 when none). */
  readonly medianDetectionLead: number;
  /**
   * Mean over assets of the lead of the first alarm when it comes after the early period, 0 when
   * the first alarm is a false one or there is none: the search objective (rewards early true
   * warnings, punishes false ones).
   */
  readonly meanUsefulLead: number;
  /** Alarm rows among the scored rows of the early period: compare with the target rate. */
  readonly earlyAlarmRate: number;
  /** Assets with at least one alarm in the early period. */
  readonly assetsWithEarlyAlarm: number;
  /** Early-period alarm rows per asset. */
  readonly earlyAlarmsPerAsset: readonly number[];
}

/**
 * Grouped cross-validation on a run-to-failure fleet: the model (covariance and threshold) is
 * fitted on the other folds' healthy periods and scores the held-out assets over their whole life.
 */
export function evaluateAnomaly(
  set: SeriesSet,
  params: Partial<AnomalyParams>,
  options: Partial<AnomalyEvalOptions> = {},
): AnomalyEvaluation {
  const o = { ...DEFAULT_ANOMALY_EVAL, ...options };
  let flagged = 0;
  let detected = 0;
  const leads: number[] = [];
  const detectionLeads: number[] = [];
  const earlyAlarms: number[] = [];
  let earlyRows = 0;
  let earlyAlarmRows = 0;
  let usefulLead = 0;
  for (const [f, fold] of groupFolds(set.assets.length, o.folds, o.seed).entries()) {
    const model = fitAnomalyModel(selectAssets(set, complement(set.assets.length, fold)), { ...params, seed: deriveSeed(o.seed, f) });
    for (const a of fold) {
      const asset = set.assets[a] as AssetSeries;
      const n = asset.time.length;
      const s = scoreAnomalies(model, asset);
      const early = Math.floor(o.earlyFraction * n);
      let alarmsEarly = 0;
      for (let i = model.params.baselineRows; i < early; i++) {
        earlyRows++;
        alarmsEarly += s.alarm[i] as number;
      }
      earlyAlarmRows += alarmsEarly;
      earlyAlarms.push(alarmsEarly);
      if (s.firstAlarm >= early) usefulLead += n - 1 - s.firstAlarm;
      if (s.firstAlarm >= 0) {
        flagged++;
        leads.push(n - 1 - s.firstAlarm);
      }
      let firstLate = -1;
      for (let i = Math.max(early, 0); i < n; i++) {
        if (s.alarm[i] === 1) {
          firstLate = i;
          break;
        }
      }
      if (firstLate >= 0) detected++;
      detectionLeads.push(firstLate >= 0 ? n - 1 - firstLate : 0);
    }
  }
  const assets = set.assets.length;
  return {
    assets,
    flaggedShare: flagged / assets,
    medianLeadTime: leads.length > 0 ? median(leads) : 0,
    detectedShare: detected / assets,
    medianDetectionLead: median(detectionLeads),
    meanUsefulLead: usefulLead / assets,
    earlyAlarmRate: earlyRows > 0 ? earlyAlarmRows / earlyRows : 0,
    assetsWithEarlyAlarm: earlyAlarms.filter((c) => c > 0).length,
    earlyAlarmsPerAsset: earlyAlarms,
  };
}

export const ANOMALY_SEARCH: readonly Partial<AnomalyParams>[] = [5, 10, 20].flatMap((smoothing) =>
  [1, 3, 5].map((persistence) => ({ smoothing, persistence })),
);

/**
 * Chooses smoothing and persistence by the same cross-validation: the largest mean useful lead
 * (see `AnomalyEvaluation`), the threshold always set by the target false-alarm rate.
 */
export function searchAnomalyParams(
  set: SeriesSet,
  base: Partial<AnomalyParams>,
  grid: readonly Partial<AnomalyParams>[] = ANOMALY_SEARCH,
  options: Partial<AnomalyEvalOptions> = {},
): { params: Partial<AnomalyParams>; results: { change: Partial<AnomalyParams>; evaluation: AnomalyEvaluation }[] } {
  const results = grid.map((change) => ({ change, evaluation: evaluateAnomaly(set, { ...base, ...change }, options) }));
  let best = results[0];
  for (const r of results) {
    if (best === undefined || r.evaluation.meanUsefulLead > best.evaluation.meanUsefulLead) best = r;
  }
  return { params: { ...base, ...best?.change }, results };
}
