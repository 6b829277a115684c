import type { Workflow } from "@temporalio/common";

/**
 * A workflow as a client starts it: its registered name (its export name in workflows/index.ts),
 * typed by the workflow's function type (arguments and result), which the capability that owns the
 * workflow declares. Clients start workflows through these only, never by a bare name; the worker
 * checks each one against the workflow it registers under that name (src/worker/workflow-types.ts).
 */
export interface WorkflowType<W extends Workflow, N extends string = string> {
  readonly name: N;
  /** Never set: carries the workflow function's type. */
  readonly workflow?: W;
}

export function workflowType<W extends Workflow, N extends string = string>(name: N): WorkflowType<W, N> {
  return { name };
}
