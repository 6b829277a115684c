import { Worker } from "node:worker_threads";
import type { AnomalyFitDone, FitJob, FitMessage, RulFitDone } from "./fit-thread.js";

/** What a fit answers, by the job's task. */
export type FitDone<J extends FitJob> = J extends { task: "rul" } ? RulFitDone : AnomalyFitDone;

/**
 * Trains (a RUL or an anomaly model) in a worker thread, so that the process stays responsive (Temporal heartbeats, other
 * activities, workflow tasks) while the CPU-bound fit runs. `onProgress` gets 0..1.
 */
export function fitInThread<J extends FitJob>(job: J, onProgress: (share: number) => void, signal?: AbortSignal): Promise<FitDone<J>> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(new URL("./fit-thread.js", import.meta.url), { workerData: job });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", abort);
      fn();
    };
    const abort = () => {
      void thread.terminate();
      finish(() => reject(new Error("training was cancelled")));
    };
    signal?.addEventListener("abort", abort);
    thread.on("message", (message: FitMessage) => {
      if (message.kind === "progress") onProgress(message.share);
      else if (message.kind === "done") finish(() => resolve(message as FitDone<J>));
      else finish(() => reject(new FitFailure(message.message, message.dataError)));
      if (message.kind !== "progress") void thread.terminate();
    });
    thread.on("error", (error) => finish(() => reject(error)));
    thread.on("exit", (code) => finish(() => reject(new Error(`the training thread exited with code ${code}`))));
  });
}

export class FitFailure extends Error {
  constructor(
    message: string,
    readonly dataError: boolean,
  ) {
    super(message);
    this.name = "FitFailure";
  }
}
