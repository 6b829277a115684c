import { parentPort, workerData } from "node:worker_threads";
import { decodeRulModel, encodeRulModel } from "../ml/model-format.js";
import type { RulParamsInput } from "../ml/rul-model.js";
import type { SeriesSet } from "../ml/series.js";
import { TrainingDataError, trainRul } from "./training.js";

/** What the activity hands the thread, and what comes back: see fitInThread. */
export interface FitJob {
  readonly set: SeriesSet;
  readonly params: RulParamsInput;
  readonly champion: string | null;
  readonly trainedAt: string;
  readonly dataset: string;
}

export type FitMessage =
  | { readonly kind: "progress"; readonly share: number }
  | {
      readonly kind: "done";
      readonly artifact: string;
      readonly holdout: ReturnType<typeof trainRul>["holdout"];
      readonly championHoldout: ReturnType<typeof trainRul>["championHoldout"];
      readonly trainAssets: number;
      readonly fitSeconds: number;
      readonly params: unknown;
      readonly featureNames: readonly string[];
    }
  | { readonly kind: "failed"; readonly message: string; readonly dataError: boolean };

const port = parentPort;
if (port) {
  const job = workerData as FitJob;
  try {
    const outcome = trainRul(
      job.set,
      {
        params: job.params,
        champion: job.champion === null ? null : decodeRulModel(job.champion),
        trainedAt: job.trainedAt,
        dataset: job.dataset,
      },
      (share) => port.postMessage({ kind: "progress", share } satisfies FitMessage),
    );
    port.postMessage({
      kind: "done",
      artifact: encodeRulModel(outcome.model),
      holdout: outcome.holdout,
      championHoldout: outcome.championHoldout,
      trainAssets: outcome.trainAssets,
      fitSeconds: outcome.fitSeconds,
      params: outcome.model.params,
      featureNames: outcome.model.training.featureNames,
    } satisfies FitMessage);
  } catch (error) {
    port.postMessage({
      kind: "failed",
      message: error instanceof Error ? error.message : String(error),
      dataError: error instanceof TrainingDataError || (error instanceof Error && error.name === "MlInputError"),
    } satisfies FitMessage);
  }
}
