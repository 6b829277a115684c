import { parentPort, workerData } from "node:worker_threads";
import { MlInputError } from "../ml/errors.js";
import { decodeRulModel, encodeRulModel } from "../ml/model-format.js";
import type { RulParamsInput } from "../ml/rul-model.js";
import type { SeriesSet } from "../ml/series.js";
import { type AnomalyFitJob, type AnomalyFitOutcome, fitAnomaly } from "./anomaly-fit.js";
import { TrainingDataError, trainRul } from "./training.js";

/** What the activity hands the thread, and what comes back: see fitInThread. */
export type FitJob = RulFitJob | ({ readonly task: "anomaly" } & AnomalyFitJob);

export interface RulFitJob {
  readonly task: "rul";
  readonly set: SeriesSet;
  readonly params: RulParamsInput;
  readonly champion: string | null;
  readonly trainedAt: string;
  readonly dataset: string;
}

export interface RulFitDone {
  readonly kind: "done";
  readonly task: "rul";
  readonly artifact: string;
  readonly holdout: ReturnType<typeof trainRul>["holdout"];
  readonly championHoldout: ReturnType<typeof trainRul>["championHoldout"];
  readonly trainAssets: number;
  readonly fitSeconds: number;
  readonly params: unknown;
  readonly featureNames: readonly string[];
}

export type AnomalyFitDone = { readonly kind: "done"; readonly task: "anomaly" } & AnomalyFitOutcome;

export type FitMessage =
  | { readonly kind: "progress"; readonly share: number }
  | RulFitDone
  | AnomalyFitDone
  | { readonly kind: "failed"; readonly message: string; readonly dataError: boolean };

function fitRul(job: RulFitJob, onProgress: (share: number) => void): RulFitDone {
  const outcome = trainRul(
    job.set,
    {
      params: job.params,
      champion: job.champion === null ? null : decodeRulModel(job.champion),
      trainedAt: job.trainedAt,
      dataset: job.dataset,
    },
    onProgress,
  );
  return {
    kind: "done",
    task: "rul",
    artifact: encodeRulModel(outcome.model),
    holdout: outcome.holdout,
    championHoldout: outcome.championHoldout,
    trainAssets: outcome.trainAssets,
    fitSeconds: outcome.fitSeconds,
    params: outcome.model.params,
    featureNames: outcome.model.training.featureNames,
  };
}

const port = parentPort;
if (port) {
  const job = workerData as FitJob;
  const progress = (share: number) => port.postMessage({ kind: "progress", share } satisfies FitMessage);
  try {
    const done: FitMessage = job.task === "rul" ? fitRul(job, progress) : { kind: "done", task: "anomaly", ...fitAnomaly(job, progress) };
    port.postMessage(done);
  } catch (error) {
    port.postMessage({
      kind: "failed",
      message: error instanceof Error ? error.message : String(error),
      dataError: error instanceof TrainingDataError || error instanceof MlInputError,
    } satisfies FitMessage);
  }
}
