import { z } from "zod";
import type { AnomalyModel } from "./anomaly.js";
import { MlInputError } from "./errors.js";

export const ANOMALY_MODEL_FORMAT = "pdm.ml.anomaly-model";
export const ANOMALY_MODEL_VERSION = 1;

const numbers = z.array(z.number());
const schema = z.object({
  format: z.literal(ANOMALY_MODEL_FORMAT),
  version: z.number(),
  model: z.object({
    settingNames: z.array(z.string()),
    sensorNames: z.array(z.string()),
    params: z.object({
      healthyFraction: z.number(),
      baselineRows: z.number(),
      smoothing: z.number(),
      shrinkage: z.number(),
      targetFalseAlarmRate: z.number(),
      persistence: z.number(),
      thresholdFolds: z.number(),
      normalise: z.object({
        conditions: z.union([z.number(), z.literal("auto")]),
        maxConditions: z.number(),
        conditionTolerance: z.number(),
        minDistinct: z.number(),
      }),
      seed: z.number(),
    }),
    normaliser: z.object({
      conditions: z.object({ center: numbers, scale: numbers, centroids: z.array(numbers) }),
      kept: numbers,
      mean: z.array(numbers),
      scale: z.array(numbers),
    }),
    precision: numbers,
    threshold: z.number(),
  }),
});

/** The anomaly model as self-describing, versioned JSON (every number is finite, so JSON keeps it exactly). */
export function encodeAnomalyModel(model: AnomalyModel): string {
  return JSON.stringify({ format: ANOMALY_MODEL_FORMAT, version: ANOMALY_MODEL_VERSION, model });
}

export function decodeAnomalyModel(text: string): AnomalyModel {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MlInputError("the anomaly model is not JSON");
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== ANOMALY_MODEL_VERSION) {
    throw new MlInputError(
      `anomaly model format version ${String(version)} is not supported (this code reads version ${ANOMALY_MODEL_VERSION})`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new MlInputError(`the anomaly model is malformed: ${parsed.error.issues[0]?.message ?? "unknown"}`);
  return parsed.data.model;
}
