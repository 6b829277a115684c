import { type BaselineParams, DEFAULT_BASELINE } from "./baseline.js";
import { baselineCandidate, type CvOptions, type CvResult, crossValidate, rulCandidate } from "./cv.js";
import { type RulParams, type RulParamsInput, rulParams } from "./rul-model.js";
import type { SeriesSet } from "./series.js";

/**
 * The search that chose the default constants: coordinate-wise over stages, each stage trying
 * its values with the best constants found so far, scored by grouped cross-validation RMSE on
 * run-to-failure training assets. Deterministic; ties keep the earlier (simpler) value.
 */
export interface SearchStage {
  readonly name: string;
  readonly values: readonly RulParamsInput[];
}

export const RUL_SEARCH: readonly SearchStage[] = [
  { name: "window", values: [30, 50, 80, 150, 300].map((window) => ({ features: { window } })) },
  { name: "cap", values: [110, 120, 125, 130, 135, 140, 150].map((cap) => ({ cap })) },
  { name: "healthIndex", values: [{ healthIndex: true }, { healthIndex: false }] },
  { name: "gbm.maxLeaves", values: [8, 16, 24, 32].map((maxLeaves) => ({ gbm: { maxLeaves } })) },
  { name: "gbm.minLeaf", values: [20, 40, 80, 160, 320, 640].map((minLeaf) => ({ gbm: { minLeaf } })) },
  { name: "gbm.colSample", values: [0.3, 0.5, 0.8, 1].map((colSample) => ({ gbm: { colSample } })) },
  {
    name: "gbm.trees×learningRate",
    values: [
      { gbm: { trees: 200, learningRate: 0.1 } },
      { gbm: { trees: 400, learningRate: 0.05 } },
      { gbm: { trees: 800, learningRate: 0.025 } },
    ],
  },
  { name: "cap (again)", values: [110, 120, 125, 130, 135, 140, 150].map((cap) => ({ cap })) },
];

export const BASELINE_SEARCH: readonly number[] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

export interface Trial {
  readonly stage: string;
  readonly change: RulParamsInput;
  readonly result: CvResult;
  readonly seconds: number;
}

export interface SearchResult {
  readonly params: RulParams;
  readonly best: CvResult;
  readonly trials: readonly Trial[];
}

/** Applies a partial change on top of full parameters. */
export function applyChange(params: RulParams, change: RulParamsInput): RulParams {
  return rulParams(
    {
      ...change,
      features:
        change.features === undefined
          ? undefined
          : change.features.window !== undefined
            ? change.features
            : { ...params.features, ...change.features },
    },
    params,
  );
}

/**
 * Runs the stages from `start`. `clock` (milliseconds) is only used to report trial durations.
 * `onTrial` is called after every trial (for progress output).
 */
export function searchRulParams(
  set: SeriesSet,
  start: RulParams,
  cv: Partial<CvOptions>,
  stages: readonly SearchStage[] = RUL_SEARCH,
  clock: () => number = () => 0,
  onTrial: (trial: Trial) => void = () => undefined,
): SearchResult {
  let params = start;
  let best: CvResult | undefined;
  const trials: Trial[] = [];
  const cache = new Map<string, CvResult>();
  for (const stage of stages) {
    let stageBest: { params: RulParams; result: CvResult } | undefined;
    for (const change of stage.values) {
      const candidate = applyChange(params, change);
      const key = JSON.stringify({ ...candidate, interval: null });
      const began = clock();
      let result = cache.get(key);
      if (result === undefined) {
        result = crossValidate(set, rulCandidate(candidate), cv);
        cache.set(key, result);
      }
      const trial = { stage: stage.name, change, result, seconds: (clock() - began) / 1000 };
      trials.push(trial);
      onTrial(trial);
      if (stageBest === undefined || result.rmse < stageBest.result.rmse) stageBest = { params: candidate, result };
    }
    if (stageBest !== undefined) {
      params = stageBest.params;
      best = stageBest.result;
    }
  }
  return { params, best: best ?? crossValidate(set, rulCandidate(params), cv), trials };
}

/** The baseline's ridge penalty by the same cross-validation (window and cap as given). */
export function searchBaselineLambda(
  set: SeriesSet,
  start: BaselineParams = DEFAULT_BASELINE,
  cv: Partial<CvOptions> = {},
  lambdas: readonly number[] = BASELINE_SEARCH,
): { params: BaselineParams; results: { lambda: number; result: CvResult }[] } {
  const results = lambdas.map((lambda) => ({ lambda, result: crossValidate(set, baselineCandidate({ ...start, lambda }), cv) }));
  let best = results[0];
  for (const r of results) if (best === undefined || r.result.rmse < best.result.rmse) best = r;
  return { params: { ...start, lambda: best?.lambda ?? start.lambda }, results };
}
