import { assetFeatures, trainingRows, validateLabels } from "./dataset.js";
import { type FeatureConfig, featureCount, featuresForWindow, writeFeatures } from "./features.js";
import { DEFAULT_NORMALISE, fitNormaliser, type Normaliser, normaliseAsset } from "./normalise.js";
import { fitRidge, predictRidge, type RidgeModel } from "./ridge.js";
import { type AssetSeries, type SeriesSet, sliceAsset, validateAsset, validateSeriesSet } from "./series.js";

/**
 * The reference model: ridge regression on the features of a 30-cycle window (the same statistics
 * as the main model: last value, trailing means, slopes, smoothed values, extremes, spread, age;
 * no health index), same normalisation and cap as the main model.
 */
export interface BaselineParams {
  readonly cap: number;
  readonly window: number;
  readonly lambda: number;
  readonly seed: number;
}

/** `lambda` chosen by cross-validation on FD001 (`ml:eval --cv`); the cap is the main model's. */
export const DEFAULT_BASELINE: BaselineParams = { cap: 135, window: 30, lambda: 1e-5, seed: 1 };

export interface BaselineModel {
  readonly settingNames: readonly string[];
  readonly sensorNames: readonly string[];
  readonly params: BaselineParams;
  readonly features: FeatureConfig;
  readonly normaliser: Normaliser;
  readonly ridge: RidgeModel;
}

export function baselineFeatures(window: number): FeatureConfig {
  return featuresForWindow(window);
}

export function fitBaseline(set: SeriesSet, labels: readonly Float64Array[], input: Partial<BaselineParams> = {}): BaselineModel {
  validateSeriesSet(set);
  validateLabels(set, labels);
  const params = { ...DEFAULT_BASELINE, ...input };
  const features = baselineFeatures(params.window);
  const normaliser = fitNormaliser(set, { ...DEFAULT_NORMALISE, seed: params.seed });
  const data = trainingRows(set, labels, (a) => normaliseAsset(normaliser, a), normaliser.kept.length, features);
  const ridge = fitRidge(data.x, data.rows, data.width, data.y, params.lambda);
  return { settingNames: set.settingNames, sensorNames: set.sensorNames, params, features, normaliser, ridge };
}

function clip(model: BaselineModel, v: number): number {
  return Math.min(model.params.cap, Math.max(0, v));
}

export function predictBaseline(model: BaselineModel, window: AssetSeries, scratch?: Float64Array): number {
  validateAsset(window, model.settingNames.length, model.sensorNames.length, model.settingNames, model.sensorNames);
  const n = window.time.length;
  const tail = n > model.features.window ? sliceAsset(window, n - model.features.window, n) : window;
  const columns = normaliseAsset(model.normaliser, tail);
  const width = featureCount(model.features, columns.length);
  const x = scratch !== undefined && scratch.length >= width ? scratch : new Float64Array(width);
  writeFeatures(columns, tail.time.length, tail.time[tail.time.length - 1] as number, model.features, x, 0);
  return clip(model, predictRidge(model.ridge, x, 0));
}

export function predictBaselineSeries(model: BaselineModel, asset: AssetSeries): Float64Array {
  validateAsset(asset, model.settingNames.length, model.sensorNames.length, model.settingNames, model.sensorNames);
  const features = assetFeatures((a) => normaliseAsset(model.normaliser, a), asset, model.features);
  const width = featureCount(model.features, model.normaliser.kept.length);
  const out = new Float64Array(asset.time.length);
  for (let r = 0; r < out.length; r++) out[r] = clip(model, predictRidge(model.ridge, features, r * width));
  return out;
}
