import { randomBytes } from "node:crypto";
import { type Client, ScheduleAlreadyRunning } from "@temporalio/client";
import { startWorkflow, startWorkflowAction } from "../temporal/starter.js";
import type { UsageSyncInput, UsageSyncResult } from "./usage-sync.js";
import { SYNC_USAGE } from "./workflow-contracts.js";

/** One schedule for the platform. */
export const USAGE_SYNC_SCHEDULE_ID = "usage-sync";

// Ten minutes past each hour: the hour that just ended is closed (its settle margin is over).
const SPEC = { intervals: [{ every: "1h", offset: "10m" }] };
const ACTION = startWorkflowAction(SYNC_USAGE, [{}], { workflowId: "usage-sync" });

/**
 * Creates the hourly usage sync schedule, or brings an existing one to this definition. Runs
 * never overlap: a run still busy when the next is due makes that one skipped.
 */
export async function ensureUsageSyncSchedule(client: Client): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: USAGE_SYNC_SCHEDULE_ID,
      spec: SPEC,
      action: ACTION,
      policies: { overlap: "SKIP", catchupWindow: "1h" },
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule
      .getHandle(USAGE_SYNC_SCHEDULE_ID)
      .update((previous) => ({ ...previous, spec: SPEC, action: ACTION, policies: { ...previous.policies, overlap: "SKIP" } }));
  }
}

/** Runs the usage sync now (besides the schedule) and waits for its counts. */
export async function runUsageSync(client: Client, options: { now?: Date } = {}): Promise<UsageSyncResult> {
  const input: UsageSyncInput = options.now ? { now: options.now.toISOString() } : {};
  const handle = await startWorkflow(client, SYNC_USAGE, {
    workflowId: `usage-sync-now-${Date.now()}-${randomBytes(4).toString("hex")}`,
    args: [input],
  });
  return handle.result();
}
