import { ApplicationFailure } from "@temporalio/common";
import { AppError } from "../core/errors.js";
import { FitFailure } from "./fit.js";
import type { FitHeartbeat } from "./heartbeat.js";

/** Where a step reports that it is alive (Temporal heartbeats), and how it hears it should stop. */
export interface StepHooks {
  readonly heartbeat: (details: FitHeartbeat) => void;
  readonly signal?: AbortSignal | undefined;
}

/** Business failures: retrying cannot help, the workflow fails with this message. */
export function nonRetryable(error: unknown): never {
  if (error instanceof AppError || (error instanceof FitFailure && error.dataError)) {
    throw ApplicationFailure.nonRetryable(error.message, error instanceof AppError ? error.code : "TRAINING_DATA");
  }
  throw error;
}
