import { z } from "zod";
import { decodeFloat64, decodeInt32, encodeFloat64, encodeInt32 } from "./codec.js";
import { MlInputError } from "./errors.js";
import { featureCount } from "./features.js";
import type { GbmModel } from "./gbm.js";
import { type RulModel, rulParams } from "./rul-model.js";

/**
 * The saved form of a remaining-life model: one JSON document that says what it is (format,
 * version), what it reads (setting and sensor names), how it prepares data (normalisation,
 * health index, feature config), how it was trained (parameters, rows, feature names) and the
 * trees themselves (typed arrays as little-endian base64). Encoding is deterministic: the same
 * model gives the same bytes, and decoding gives back a model that predicts identically.
 */
export const RUL_MODEL_FORMAT = "pdm.ml.rul-model";
export const RUL_MODEL_VERSION = 1;

const numbers = z.array(z.number());
const featureConfig = z.object({
  window: z.number(),
  last: z.boolean(),
  meanSpans: numbers,
  slopeSpans: numbers,
  ewmaAlphas: numbers,
  extremes: z.boolean(),
  spread: z.boolean(),
  driftRows: z.number(),
  age: z.boolean(),
});
const paramsSchema = z.object({
  cap: z.number(),
  features: featureConfig,
  healthIndex: z.boolean(),
  gbm: z.object({
    trees: z.number(),
    learningRate: z.number(),
    maxLeaves: z.number(),
    maxDepth: z.number(),
    minLeaf: z.number(),
    lambda: z.number(),
    rowSample: z.number(),
    colSample: z.number(),
    bins: z.number(),
  }),
  ensemble: z.number(),
  normalise: z.object({
    conditions: z.union([z.number(), z.literal("auto")]),
    maxConditions: z.number(),
    conditionTolerance: z.number(),
    minDistinct: z.number(),
  }),
  interval: z.object({ folds: z.number(), coverage: z.number(), buckets: z.number(), members: z.number() }),
  stride: z.number(),
  seed: z.number(),
});
const memberSchema = z.object({
  featureCount: z.number(),
  base: z.number(),
  treeRoots: z.string(),
  feature: z.string(),
  threshold: z.string(),
  left: z.string(),
  right: z.string(),
  value: z.string(),
  gain: z.string(),
});
const documentSchema = z.object({
  format: z.literal(RUL_MODEL_FORMAT),
  version: z.literal(RUL_MODEL_VERSION),
  description: z.string(),
  settingNames: z.array(z.string()),
  sensorNames: z.array(z.string()),
  params: paramsSchema,
  normalisation: z.object({
    conditions: z.object({ center: numbers, scale: numbers, centroids: z.array(numbers) }),
    keptSensors: z.array(z.string()),
    kept: numbers,
    mean: z.array(numbers),
    scale: z.array(numbers),
  }),
  healthIndex: z.object({ weights: numbers, intercept: z.number() }).nullable(),
  interval: z.object({ coverage: z.number(), edges: numbers, lower: numbers, upper: numbers }).nullable(),
  training: z.object({
    assets: z.number(),
    rows: z.number(),
    featureNames: z.array(z.string()),
    dataset: z.string().optional(),
    trainedAt: z.string().optional(),
  }),
  members: z.array(memberSchema),
});
type ModelDocument = z.infer<typeof documentSchema>;

function describe(model: RulModel): string {
  const p = model.params;
  return (
    `Remaining useful life (capped at ${p.cap}) from ${p.ensemble} ensemble(s) of ${p.gbm.trees} boosted regression trees on ` +
    `features of the last ${p.features.window} rows of ${model.normaliser.kept.length} per-condition z-scored sensors ` +
    `(${model.normaliser.conditions.centroids.length} operating condition(s))${model.healthIndex ? " and a learnt health index" : ""}`
  );
}

export function encodeRulModel(model: RulModel): string {
  const n = model.normaliser;
  const doc: ModelDocument = {
    format: RUL_MODEL_FORMAT,
    version: RUL_MODEL_VERSION,
    description: describe(model),
    settingNames: [...model.settingNames],
    sensorNames: [...model.sensorNames],
    params: {
      ...model.params,
      features: {
        ...model.params.features,
        meanSpans: [...model.params.features.meanSpans],
        slopeSpans: [...model.params.features.slopeSpans],
        ewmaAlphas: [...model.params.features.ewmaAlphas],
      },
    },
    normalisation: {
      conditions: {
        center: [...n.conditions.center],
        scale: [...n.conditions.scale],
        centroids: n.conditions.centroids.map((c) => [...c]),
      },
      keptSensors: n.kept.map((s) => model.sensorNames[s] ?? `#${s}`),
      kept: [...n.kept],
      mean: n.mean.map((r) => [...r]),
      scale: n.scale.map((r) => [...r]),
    },
    healthIndex:
      model.healthIndex === undefined ? null : { weights: [...model.healthIndex.weights], intercept: model.healthIndex.intercept },
    interval:
      model.interval === undefined
        ? null
        : {
            coverage: model.interval.coverage,
            edges: [...model.interval.edges],
            lower: [...model.interval.lower],
            upper: [...model.interval.upper],
          },
    training: {
      assets: model.training.assets,
      rows: model.training.rows,
      featureNames: [...model.training.featureNames],
      ...(model.training.dataset === undefined ? {} : { dataset: model.training.dataset }),
      ...(model.training.trainedAt === undefined ? {} : { trainedAt: model.training.trainedAt }),
    },
    members: model.members.map((m) => ({
      featureCount: m.featureCount,
      base: m.base,
      treeRoots: encodeInt32(m.treeRoots),
      feature: encodeInt32(m.feature),
      threshold: encodeFloat64(m.threshold),
      left: encodeInt32(m.left),
      right: encodeInt32(m.right),
      value: encodeFloat64(m.value),
      gain: encodeFloat64(m.gain),
    })),
  };
  return JSON.stringify(doc);
}

function decodeMember(m: z.infer<typeof memberSchema>, i: number): GbmModel {
  const what = (field: string): string => `member ${i} ${field}`;
  const member: GbmModel = {
    featureCount: m.featureCount,
    base: m.base,
    treeRoots: decodeInt32(m.treeRoots, what("treeRoots")),
    feature: decodeInt32(m.feature, what("feature")),
    threshold: decodeFloat64(m.threshold, what("threshold")),
    left: decodeInt32(m.left, what("left")),
    right: decodeInt32(m.right, what("right")),
    value: decodeFloat64(m.value, what("value")),
    gain: decodeFloat64(m.gain, what("gain")),
  };
  const nodes = member.feature.length;
  if ([member.threshold, member.left, member.right, member.value].some((a) => a.length !== nodes))
    throw new MlInputError(`model member ${i}: node arrays differ in length`);
  for (let k = 0; k < nodes; k++) {
    const f = member.feature[k] as number;
    if (f >= member.featureCount) throw new MlInputError(`model member ${i}: node ${k} reads feature ${f} of ${member.featureCount}`);
    // Children always come after their parent, so a walk down a tree always ends.
    if (
      f >= 0 &&
      !(
        (member.left[k] as number) > k &&
        (member.left[k] as number) < nodes &&
        (member.right[k] as number) > k &&
        (member.right[k] as number) < nodes
      )
    ) {
      throw new MlInputError(`model member ${i}: node ${k} has children outside the tree`);
    }
  }
  for (const root of member.treeRoots)
    if (root < 0 || root >= nodes) throw new MlInputError(`model member ${i}: a tree root is outside the node arrays`);
  return member;
}

/**
 * Reads a model written by `encodeRulModel`. Refuses, with an `MlInputError` that says why,
 * anything that is not such a model, a format version this library does not read, and
 * documents whose parts do not fit together.
 */
export function decodeRulModel(text: string): RulModel {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MlInputError("the model is not JSON; expected a document written by encodeRulModel");
  }
  const head = z.object({ format: z.string(), version: z.unknown() }).safeParse(raw);
  if (!head.success || head.data.format !== RUL_MODEL_FORMAT) {
    throw new MlInputError(`not a remaining-life model: expected format ${JSON.stringify(RUL_MODEL_FORMAT)}`);
  }
  if (head.data.version !== RUL_MODEL_VERSION) {
    throw new MlInputError(
      `model format version ${JSON.stringify(head.data.version)} is not supported: this library reads version ${RUL_MODEL_VERSION}; ` +
        "retrain the model with this library or load it with the library version that wrote it",
    );
  }
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) throw new MlInputError(`the model document is malformed: ${z.prettifyError(parsed.error)}`);
  const doc = parsed.data;
  const params = rulParams(doc.params, doc.params);
  const norm = doc.normalisation;
  const settings = doc.settingNames.length;
  const k = norm.conditions.centroids.length;
  if (
    norm.conditions.center.length !== settings ||
    norm.conditions.scale.length !== settings ||
    norm.conditions.centroids.some((c) => c.length !== settings)
  ) {
    throw new MlInputError("the model's operating conditions do not match its settings");
  }
  if (norm.kept.some((s) => !Number.isInteger(s) || s < 0 || s >= doc.sensorNames.length))
    throw new MlInputError("the model keeps a sensor it does not name");
  if (norm.mean.length !== k || norm.scale.length !== k || [...norm.mean, ...norm.scale].some((r) => r.length !== norm.kept.length)) {
    throw new MlInputError("the model's normalisation tables do not match its conditions and sensors");
  }
  if (doc.healthIndex !== null && doc.healthIndex.weights.length !== norm.kept.length)
    throw new MlInputError("the model's health index does not match its sensors");
  const width = featureCount(params.features, norm.kept.length + (doc.healthIndex === null ? 0 : 1));
  const members = doc.members.map(decodeMember);
  if (members.length === 0 || members.some((m) => m.featureCount !== width))
    throw new MlInputError(`the model's trees do not read the ${width} features its config describes`);
  if (doc.interval !== null) {
    const b = doc.interval.edges.length + 1;
    if (doc.interval.lower.length !== b || doc.interval.upper.length !== b)
      throw new MlInputError("the model's interval table is inconsistent");
  }
  return {
    settingNames: doc.settingNames,
    sensorNames: doc.sensorNames,
    params,
    normaliser: { conditions: norm.conditions, kept: norm.kept, mean: norm.mean, scale: norm.scale },
    healthIndex: doc.healthIndex ?? undefined,
    members,
    interval: doc.interval ?? undefined,
    training: doc.training,
  };
}
