import type { Workflow } from "@temporalio/workflow";
import type * as Registered from "./index.js";
import { SYNC_USAGE } from "./usage-sync-type.js";
import { type WorkflowType, workflowType } from "./workflow-type.js";

type Exports = typeof Registered;

/** The names the worker registers: each workflow function index.ts exports, under its export name. */
export type WorkflowName = { [K in keyof Exports]: Exports[K] extends Workflow ? K : never }[keyof Exports];

/** A workflow type whose name is checked against the registered names. */
function registered<N extends WorkflowName>(name: N): WorkflowType<Exports[N], N> {
  return workflowType<Exports[N], N>(name);
}

export const TRAIN_MODEL = registered("trainModel");
export const SCORE_FLEET = registered("scoreFleet");
export const DRIFT_WATCH = registered("driftWatch");
export const DELIVER_ALERT = registered("deliverAlert");

// The usage sync's type is declared apart (see usage-sync-type.ts); its name is checked here.
const _syncUsage: WorkflowType<Exports["syncUsage"], WorkflowName> = SYNC_USAGE;
