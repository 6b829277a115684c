import type { Workflow } from "@temporalio/workflow";

/**
 * A workflow as a client starts it: its registered name (its export name in index.ts), typed by
 * the workflow's own function (arguments and result). Clients start workflows through these only,
 * never by a bare name. Type-only imports of the workflow functions: nothing of them is loaded.
 */
export interface WorkflowType<W extends Workflow, N extends string = string> {
  readonly name: N;
  /** Never set: carries the workflow function's type. */
  readonly workflow?: W;
}

export function workflowType<W extends Workflow, N extends string = string>(name: N): WorkflowType<W, N> {
  return { name };
}
