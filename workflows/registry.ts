import type { Workflow } from "@temporalio/workflow";
import type * as Registered from "./index.js";

type Exports = typeof Registered;

/** The names the worker registers: each workflow function index.ts exports, under its export name. */
export type WorkflowName = { [K in keyof Exports]: Exports[K] extends Workflow ? K : never }[keyof Exports];

/**
 * A workflow as a client starts it: its registered name, typed by the workflow's own function
 * (arguments and result). Clients start workflows through these only, never by a bare name.
 */
export interface WorkflowType<W extends Workflow> {
  readonly name: WorkflowName;
  /** Never set: carries the workflow function's type. */
  readonly workflow?: W;
}

function workflowType<N extends WorkflowName>(name: N): WorkflowType<Exports[N]> {
  return { name };
}

export const TRAIN_MODEL = workflowType("trainModel");
export const SCORE_FLEET = workflowType("scoreFleet");
export const DRIFT_WATCH = workflowType("driftWatch");
export const DELIVER_ALERT = workflowType("deliverAlert");
export const SYNC_USAGE = workflowType("syncUsage");
