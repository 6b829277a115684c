import { assetFeatures, trainingRows, validateLabels } from "./dataset.js";
import { MlInputError } from "./errors.js";
import { type FeatureConfig, featureCount, featureNames, featuresForWindow, validateFeatureConfig, writeFeatures } from "./features.js";
import { complement, groupFolds } from "./folds.js";
import { fitGbm, type GbmModel, type GbmParams, predictGbm } from "./gbm.js";
import { fitHealthIndex, type HealthIndex, modelColumns } from "./health-index.js";
import { quantile } from "./metrics.js";
import { DEFAULT_NORMALISE, fitNormaliser, type NormaliseOptions, type Normaliser } from "./normalise.js";
import { deriveSeed } from "./random.js";
import { type AssetSeries, type SeriesSet, selectAssets, sliceAsset, validateAsset, validateSeriesSet } from "./series.js";

/** Prediction intervals from out-of-fold residuals, bucketed by the predicted value. */
export interface IntervalParams {
  /** Folds (grouped by asset) for the out-of-fold residuals; 0 = no intervals. */
  readonly folds: number;
  /** Central share of residuals the interval covers, e.g. 0.8 for the 10th..90th percentile. */
  readonly coverage: number;
  /** Buckets of predicted remaining life, each with its own residual quantiles. */
  readonly buckets: number;
  /** Ensemble members in each out-of-fold model (fewer than the final model: faster, slightly wider). */
  readonly members: number;
}

export interface RulParams {
  /** Remaining-life cap of the piece-wise linear labels; predictions are clipped to [0, cap]. */
  readonly cap: number;
  readonly features: FeatureConfig;
  /** Add a learnt health index (a linear combination of the sensors) as one more column. */
  readonly healthIndex: boolean;
  readonly gbm: Omit<GbmParams, "seed">;
  /** Boosted ensembles with different seeds, averaged. */
  readonly ensemble: number;
  readonly normalise: Omit<NormaliseOptions, "seed">;
  readonly interval: IntervalParams;
  /** Training rows: every `stride`-th cycle of each asset, always including the last. */
  readonly stride: number;
  readonly seed: number;
}

export interface RulParamsInput {
  readonly cap?: number;
  readonly features?: Partial<FeatureConfig>;
  readonly healthIndex?: boolean;
  readonly gbm?: Partial<Omit<GbmParams, "seed">>;
  readonly ensemble?: number;
  readonly normalise?: Partial<Omit<NormaliseOptions, "seed">>;
  readonly interval?: Partial<IntervalParams>;
  readonly stride?: number;
  readonly seed?: number;
}

/**
 * The constants chosen by cross-validation over the training engines of C-MAPSS FD001
 * (`npm run ml:eval -- <folder> FD001 --cv` reruns the search and compares its choice with these).
 * Interval settings, bins, depth, row sampling and the penalty are fixed by design (docs/ml.md).
 */
export const DEFAULT_RUL_PARAMS: RulParams = {
  cap: 135,
  features: featuresForWindow(300),
  healthIndex: true,
  gbm: {
    trees: 400,
    learningRate: 0.05,
    maxLeaves: 24,
    maxDepth: 8,
    minLeaf: 320,
    lambda: 1,
    rowSample: 0.7,
    colSample: 0.5,
    bins: 64,
  },
  ensemble: 1,
  normalise: {
    conditions: DEFAULT_NORMALISE.conditions,
    maxConditions: DEFAULT_NORMALISE.maxConditions,
    conditionTolerance: DEFAULT_NORMALISE.conditionTolerance,
    minDistinct: DEFAULT_NORMALISE.minDistinct,
  },
  interval: { folds: 5, coverage: 0.8, buckets: 6, members: 1 },
  stride: 1,
  seed: 1,
};

export function rulParams(input: RulParamsInput = {}, base: RulParams = DEFAULT_RUL_PARAMS): RulParams {
  const features =
    input.features?.window !== undefined && input.features.window !== base.features.window
      ? featuresForWindow(input.features.window)
      : base.features;
  const params: RulParams = {
    cap: input.cap ?? base.cap,
    features: { ...features, ...input.features },
    healthIndex: input.healthIndex ?? base.healthIndex,
    gbm: { ...base.gbm, ...input.gbm },
    ensemble: input.ensemble ?? base.ensemble,
    normalise: { ...base.normalise, ...input.normalise },
    interval: { ...base.interval, ...input.interval },
    stride: input.stride ?? base.stride,
    seed: input.seed ?? base.seed,
  };
  validateFeatureConfig(params.features);
  if (!(params.cap > 0 && Number.isFinite(params.cap))) throw new MlInputError(`cap must be a finite number > 0, got ${params.cap}`);
  if (!Number.isInteger(params.ensemble) || params.ensemble < 1)
    throw new MlInputError(`ensemble must be a whole number ≥ 1, got ${params.ensemble}`);
  if (!Number.isInteger(params.stride) || params.stride < 1)
    throw new MlInputError(`stride must be a whole number ≥ 1, got ${params.stride}`);
  if (!Number.isInteger(params.seed)) throw new MlInputError(`seed must be an integer, got ${params.seed}`);
  const iv = params.interval;
  if (!(iv.coverage > 0 && iv.coverage < 1)) throw new MlInputError(`interval coverage must be in (0, 1), got ${iv.coverage}`);
  if (!Number.isInteger(iv.folds) || iv.folds < 0 || iv.folds === 1)
    throw new MlInputError(`interval folds must be 0 (none) or ≥ 2, got ${iv.folds}`);
  if (!Number.isInteger(iv.buckets) || iv.buckets < 1)
    throw new MlInputError(`interval buckets must be a whole number ≥ 1, got ${iv.buckets}`);
  if (!Number.isInteger(iv.members) || iv.members < 1)
    throw new MlInputError(`interval members must be a whole number ≥ 1, got ${iv.members}`);
  return params;
}

/** Residual quantiles (true - predicted) per bucket of predicted remaining life. */
export interface IntervalTable {
  readonly coverage: number;
  /** Upper edges of all buckets but the last, ascending. */
  readonly edges: readonly number[];
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

export interface TrainingInfo {
  readonly assets: number;
  readonly rows: number;
  readonly featureNames: readonly string[];
  /** Free text from the caller, e.g. the data set's name. */
  readonly dataset?: string;
  /** ISO time given by the caller (the library reads no clock, so that fits are reproducible). */
  readonly trainedAt?: string;
}

export interface RulModel {
  readonly settingNames: readonly string[];
  readonly sensorNames: readonly string[];
  readonly params: RulParams;
  readonly normaliser: Normaliser;
  readonly healthIndex: HealthIndex | undefined;
  readonly members: readonly GbmModel[];
  readonly interval: IntervalTable | undefined;
  readonly training: TrainingInfo;
}

export interface RulPrediction {
  readonly rul: number;
  /** [low, high] covering `coverage` of out-of-fold errors at this predicted life; [rul, rul] without intervals. */
  readonly interval: readonly [number, number];
}

interface Core {
  readonly normaliser: Normaliser;
  readonly healthIndex: HealthIndex | undefined;
  readonly members: readonly GbmModel[];
  readonly rows: number;
}

function columnCount(core: Pick<Core, "normaliser" | "healthIndex">): number {
  return core.normaliser.kept.length + (core.healthIndex === undefined ? 0 : 1);
}

function fitCore(set: SeriesSet, labels: readonly Float64Array[], params: RulParams, members: number): Core {
  const normaliser = fitNormaliser(set, { ...params.normalise, seed: params.seed });
  const healthIndex = params.healthIndex ? fitHealthIndex(set, labels, normaliser) : undefined;
  const columnsOf = (asset: AssetSeries): Float64Array[] => modelColumns(normaliser, healthIndex, asset);
  const data = trainingRows(set, labels, columnsOf, columnCount({ normaliser, healthIndex }), params.features, params.stride);
  const fitted: GbmModel[] = [];
  for (let e = 0; e < members; e++)
    fitted.push(fitGbm(data.x, data.rows, data.width, data.y, { ...params.gbm, seed: deriveSeed(params.seed, e) }));
  return { normaliser, healthIndex, members: fitted, rows: data.rows };
}

function average(members: readonly GbmModel[], x: Float64Array, offset: number, cap: number): number {
  let s = 0;
  for (const m of members) s += predictGbm(m, x, offset);
  return Math.min(cap, Math.max(0, s / members.length));
}

/** Predictions at every row of a series (row r: the window ending at row r). */
function predictRows(core: Pick<Core, "normaliser" | "healthIndex" | "members">, params: RulParams, asset: AssetSeries): Float64Array {
  const features = assetFeatures((a) => modelColumns(core.normaliser, core.healthIndex, a), asset, params.features);
  const width = featureCount(params.features, columnCount(core));
  const out = new Float64Array(asset.time.length);
  for (let r = 0; r < out.length; r++) out[r] = average(core.members, features, r * width, params.cap);
  return out;
}

function intervalTable(set: SeriesSet, labels: readonly Float64Array[], params: RulParams): IntervalTable {
  const { folds, coverage, buckets, members } = params.interval;
  const predicted: number[] = [];
  const residual: number[] = [];
  for (const [f, fold] of groupFolds(set.assets.length, folds, deriveSeed(params.seed, 1000)).entries()) {
    const train = complement(set.assets.length, fold);
    const foldParams = { ...params, seed: deriveSeed(params.seed, 2000 + f) };
    const core = fitCore(
      selectAssets(set, train),
      train.map((i) => labels[i] as Float64Array),
      foldParams,
      Math.min(members, params.ensemble),
    );
    for (const a of fold) {
      const p = predictRows(core, foldParams, set.assets[a] as AssetSeries);
      const l = labels[a] as Float64Array;
      for (let r = 0; r < p.length; r++) {
        predicted.push(p[r] as number);
        residual.push((l[r] as number) - (p[r] as number));
      }
    }
  }
  const edges: number[] = [];
  for (let b = 1; b < buckets; b++) {
    const e = quantile(predicted, b / buckets);
    if (edges.length === 0 || e > (edges[edges.length - 1] as number)) edges.push(e);
  }
  const groups: number[][] = Array.from({ length: edges.length + 1 }, () => []);
  predicted.forEach((p, i) => {
    (groups[bucketOf(edges, p)] as number[]).push(residual[i] as number);
  });
  const tail = (1 - coverage) / 2;
  return {
    coverage,
    edges,
    lower: groups.map((g) => (g.length > 0 ? quantile(g, tail) : 0)),
    upper: groups.map((g) => (g.length > 0 ? quantile(g, 1 - tail) : 0)),
  };
}

function bucketOf(edges: readonly number[], value: number): number {
  let b = 0;
  while (b < edges.length && value > (edges[b] as number)) b++;
  return b;
}

/**
 * Fits the remaining-life model: per-condition normalisation, window features at every training
 * row, an ensemble of boosted trees on `labels` (one per row of every asset, e.g. from
 * `runToFailureLabels`), and prediction intervals from grouped out-of-fold residuals.
 */
export function fitRulModel(
  set: SeriesSet,
  labels: readonly Float64Array[],
  input: RulParamsInput = {},
  info: Pick<TrainingInfo, "dataset" | "trainedAt"> = {},
): RulModel {
  validateSeriesSet(set);
  validateLabels(set, labels);
  const params = rulParams(input);
  const core = fitCore(set, labels, params, params.ensemble);
  const interval = params.interval.folds >= 2 ? intervalTable(set, labels, params) : undefined;
  const kept = core.normaliser.kept.map((s) => set.sensorNames[s] as string);
  if (core.healthIndex !== undefined) kept.push("hi");
  return {
    settingNames: set.settingNames,
    sensorNames: set.sensorNames,
    params,
    normaliser: core.normaliser,
    healthIndex: core.healthIndex,
    members: core.members,
    interval,
    training: {
      assets: set.assets.length,
      rows: core.rows,
      featureNames: featureNames(params.features, kept),
      ...(info.dataset === undefined ? {} : { dataset: info.dataset }),
      ...(info.trainedAt === undefined ? {} : { trainedAt: info.trainedAt }),
    },
  };
}

function withInterval(model: RulModel, rul: number): RulPrediction {
  const t = model.interval;
  if (t === undefined) return { rul, interval: [rul, rul] };
  const b = bucketOf(t.edges, rul);
  const lo = Math.max(0, rul + (t.lower[b] as number));
  const hi = Math.max(lo, rul + (t.upper[b] as number));
  return { rul, interval: [Math.min(lo, rul), Math.max(hi, rul)] };
}

/**
 * Remaining life at the last row of `window`: a series slice of one asset with the model's
 * settings and sensors (in the model's order), at least one row; only the last `window` rows
 * (feature config) are used, shorter series use the rows there are. `time` at the last row is
 * the asset's age (cycles since new for C-MAPSS).
 */
export function predictRul(model: RulModel, window: AssetSeries, scratch?: Float64Array): RulPrediction {
  validateAsset(window, model.settingNames.length, model.sensorNames.length, model.settingNames, model.sensorNames);
  const n = window.time.length;
  const w = model.params.features.window;
  const tail = n > w ? sliceAsset(window, n - w, n) : window;
  const columns = modelColumns(model.normaliser, model.healthIndex, tail);
  const width = featureCount(model.params.features, columns.length);
  const x = scratch !== undefined && scratch.length >= width ? scratch : new Float64Array(width);
  writeFeatures(columns, tail.time.length, tail.time[tail.time.length - 1] as number, model.params.features, x, 0);
  return withInterval(model, average(model.members, x, 0, model.params.cap));
}

/** `predictRul` for many windows, reusing one feature buffer. */
export function predictRulMany(model: RulModel, windows: readonly AssetSeries[]): RulPrediction[] {
  const scratch = new Float64Array(featureCount(model.params.features, columnCount(model)));
  return windows.map((w) => predictRul(model, w, scratch));
}

/** Predicted remaining life at every row of a series (row r: from the rows up to r). */
export function predictRulSeries(model: RulModel, asset: AssetSeries): Float64Array {
  validateAsset(asset, model.settingNames.length, model.sensorNames.length, model.settingNames, model.sensorNames);
  return predictRows(model, model.params, asset);
}
