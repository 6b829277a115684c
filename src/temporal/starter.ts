import type { Client, ScheduleClient, ScheduleOptionsStartWorkflowAction, WorkflowHandle, WorkflowStartOptions } from "@temporalio/client";
import type { Workflow, WorkflowResultType } from "@temporalio/common";
import { TASK_QUEUE } from "./client.js";
import type { WorkflowType } from "./workflow-type.js";

/** How a workflow is started: every option but the task queue (always the platform's). */
export type StartOptions<W extends Workflow> = Omit<WorkflowStartOptions<W>, "taskQueue">;

/** Starts a workflow on the platform's task queue, its arguments and result typed by the workflow. */
export function startWorkflow<W extends Workflow>(
  client: Client,
  type: WorkflowType<W>,
  options: StartOptions<W>,
): Promise<WorkflowHandle<W>> {
  return client.workflow.start<W>(type.name, { ...options, taskQueue: TASK_QUEUE } as WorkflowStartOptions<W>);
}

/** Starts a workflow on the platform's task queue and waits for its (typed) result. */
export function executeWorkflow<W extends Workflow>(
  client: Client,
  type: WorkflowType<W>,
  options: StartOptions<W>,
): Promise<WorkflowResultType<W>> {
  return client.workflow.execute<W>(type.name, { ...options, taskQueue: TASK_QUEUE } as WorkflowStartOptions<W>);
}

/** A running (or closed) workflow of the given type, typed by it. */
export function workflowHandle<W extends Workflow>(client: Client, _type: WorkflowType<W>, workflowId: string): WorkflowHandle<W> {
  return client.workflow.getHandle<W>(workflowId);
}

/** The action of a schedule that starts a workflow on the platform's task queue. */
export function startWorkflowAction<W extends Workflow>(
  type: WorkflowType<W>,
  args: Parameters<W>,
  options: { readonly workflowId?: string } = {},
): ScheduleOptionsStartWorkflowAction<W> {
  return {
    type: "startWorkflow",
    workflowType: type.name,
    taskQueue: TASK_QUEUE,
    args,
    ...options,
  } as ScheduleOptionsStartWorkflowAction<W>;
}

/** What a verb needs of Temporal: typed starts, handles and the schedules, on a client connected on first use. */
export interface WorkflowStarter {
  start<W extends Workflow>(type: WorkflowType<W>, options: StartOptions<W>): Promise<WorkflowHandle<W>>;
  handle<W extends Workflow>(type: WorkflowType<W>, workflowId: string): Promise<WorkflowHandle<W>>;
  schedules(): Promise<ScheduleClient>;
}

export function workflowStarter(client: () => Promise<Client>): WorkflowStarter {
  return {
    start: async (type, options) => startWorkflow(await client(), type, options),
    handle: async (type, workflowId) => workflowHandle(await client(), type, workflowId),
    schedules: async () => (await client()).schedule,
  };
}
