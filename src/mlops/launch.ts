import type { Client } from "@temporalio/client";
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from "@temporalio/client";
import { getAssetType } from "../assets/asset-types.js";
import { recordAudit } from "../audit/index.js";
import { checkCountLimit, checkPlanQuota } from "../billing/index.js";
import { actorOf, type Principal, type TenantContext } from "../core/context.js";
import { conflict, notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { findModel } from "../models/models.js";
import type { ModelTask } from "../models/schema.js";
import { TASK_QUEUE } from "../temporal/client.js";
import type { DriftRequest, ScoreRequest, ScoreResult, TrainRequest } from "./activities.js";
import { DEFAULT_DRIFT_THRESHOLD, DEFAULT_DRIFT_WINDOW_HOURS } from "./drift-check.js";
import { getRun, openRun, type TrainingRun } from "./runs.js";

export interface TrainingProgress {
  readonly stage: string;
  readonly percent: number;
}

/**
 * Starts a training workflow for an asset type. The run's row is written in the caller's
 * transaction before the workflow starts, so a failed start leaves nothing behind. The plan's
 * training runs per day and its number of models are checked before anything starts (the
 * training re-checks the day's runs where it records its usage).
 */
export async function startTraining(
  ctx: TenantContext,
  workflows: () => Promise<Client>,
  input: { assetTypeId: string; task: ModelTask; reason: string; promoteMargin?: number | null | undefined },
): Promise<TrainingRun> {
  await getAssetType(ctx, input.assetTypeId);
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > 500) throw validation("Give a reason of 1 to 500 characters.", { field: "reason" });
  const margin = input.promoteMargin ?? undefined;
  if (margin !== undefined && !(margin >= 0 && margin < 1)) {
    throw validation('"promoteMargin" is a share from 0 (any improvement) to below 1.', { field: "promoteMargin" });
  }
  await checkPlanQuota(ctx, { meter: "training_runs", quantity: 1, now: Date.now() });
  if (!(await findModel(ctx, { assetTypeId: input.assetTypeId, task: input.task }))) {
    await checkCountLimit(ctx, { entitlement: "maxModels" });
  }
  const actor = actorOf(ctx.principal);
  const runId = newId("trainingRun");
  const request: TrainRequest = {
    tenantId: ctx.principal.tenantId,
    assetTypeId: input.assetTypeId,
    task: input.task,
    trigger: "manual",
    reason,
    requestedBy: `${actor.kind}:${actor.id}`,
    ...(margin === undefined ? {} : { promoteMargin: margin }),
  };
  await openRun(ctx, { runId, ...request });
  await recordAudit(ctx, { action: "model.train", targetType: "asset_type", targetId: input.assetTypeId, data: { runId, reason } });
  await (await workflows()).workflow.start("trainModel", { workflowId: runId, taskQueue: TASK_QUEUE, args: [request] });
  return getRun(ctx, runId);
}

/** The stage of a running training, from the workflow itself; null once it has ended. */
export async function trainingProgress(client: Client, run: TrainingRun): Promise<TrainingProgress | null> {
  if (run.status !== "running") return null;
  try {
    const handle = client.workflow.getHandle(run.id);
    const progress = await handle.query<TrainingProgress>("progress");
    if (progress.stage !== "fitting") return progress;
    // While fitting, the activity's heartbeats carry its share of the work.
    const description = await handle.describe();
    const details = description.raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.[0]?.data;
    const share = details ? Number((JSON.parse(Buffer.from(details).toString("utf8")) as { share?: number }).share ?? 0) : 0;
    return { stage: "fitting", percent: Math.round(10 + 80 * Math.min(1, Math.max(0, share))) };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** Asks a running training to stop; it registers nothing and ends as "cancelled". */
export async function cancelTraining(ctx: TenantContext, workflows: () => Promise<Client>, runId: string): Promise<TrainingRun> {
  const run = await getRun(ctx, runId);
  if (run.status !== "running") throw conflict(`Training run ${runId} has already ended (${run.status}).`, { status: run.status });
  await recordAudit(ctx, { action: "model.train.cancel", targetType: "training_run", targetId: runId });
  await (await workflows()).workflow.getHandle(runId).cancel();
  return run;
}

/** Starts batch scoring of every asset of a type with its champion; returns the workflow id. */
export async function startScoring(ctx: TenantContext, workflows: () => Promise<Client>, input: { assetTypeId: string }): Promise<string> {
  await getAssetType(ctx, input.assetTypeId);
  const runId = newId("scoringRun");
  const request: ScoreRequest = { tenantId: ctx.principal.tenantId, assetTypeId: input.assetTypeId };
  await recordAudit(ctx, { action: "model.score", targetType: "asset_type", targetId: input.assetTypeId, data: { runId } });
  await (await workflows()).workflow.start("scoreFleet", {
    workflowId: runId,
    taskQueue: TASK_QUEUE,
    args: [request],
    memo: { tenantId: ctx.principal.tenantId },
  });
  return runId;
}

/** Starts a drift check of an asset type now; returns its id (also the workflow's). */
export async function startDriftCheck(
  ctx: TenantContext,
  workflows: () => Promise<Client>,
  input: { assetTypeId: string; windowHours?: number | null | undefined; threshold?: number | null | undefined },
): Promise<string> {
  await getAssetType(ctx, input.assetTypeId);
  const windowHours = input.windowHours ?? DEFAULT_DRIFT_WINDOW_HOURS;
  const threshold = input.threshold ?? DEFAULT_DRIFT_THRESHOLD;
  if (!(Number.isInteger(windowHours) && windowHours >= 1 && windowHours <= 24 * 366)) {
    throw validation('"windowHours" must be a whole number of hours from 1 to 8784.', { field: "windowHours" });
  }
  if (!(threshold > 0 && threshold <= 10)) throw validation('"threshold" is a PSI above 0 and at most 10.', { field: "threshold" });
  const checkId = newId("driftCheck");
  const request: DriftRequest = { tenantId: ctx.principal.tenantId, assetTypeId: input.assetTypeId, windowHours, threshold };
  await recordAudit(ctx, { action: "model.drift_check", targetType: "asset_type", targetId: input.assetTypeId, data: { checkId } });
  await (await workflows()).workflow.start("driftWatch", { workflowId: checkId, taskQueue: TASK_QUEUE, args: [request] });
  return checkId;
}

export interface ScoringRun {
  readonly id: string;
  /** RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED or TIMED_OUT. */
  readonly status: string;
  readonly versionId: string | null;
  readonly scored: number | null;
  readonly skipped: number | null;
  readonly startedAt: Date;
  readonly closedAt: Date | null;
}

/** A scoring run as Temporal knows it; another tenant's run (or none) is NOT_FOUND. */
export async function scoringRun(ctx: TenantContext, workflows: () => Promise<Client>, runId: string): Promise<ScoringRun> {
  const client = await workflows();
  const handle = client.workflow.getHandle(runId);
  let description: Awaited<ReturnType<typeof handle.describe>>;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound("Scoring run", runId);
    throw error;
  }
  if (description.type !== "scoreFleet" || description.memo?.tenantId !== ctx.principal.tenantId) throw notFound("Scoring run", runId);
  const status = description.status.name;
  const result = status === "COMPLETED" ? ((await handle.result()) as ScoreResult) : null;
  return {
    id: runId,
    status,
    versionId: result?.versionId ?? null,
    scored: result?.scored ?? null,
    skipped: result?.skipped ?? null,
    startedAt: description.startTime,
    closedAt: description.closeTime ?? null,
  };
}

/** Starts the webhook deliveries of alerts raised by an online prediction (once per alert). */
export async function startDeliveries(client: Client, principal: Principal, alertIds: readonly string[]): Promise<void> {
  if (principal.kind !== "member" && principal.kind !== "apiKey") return;
  for (const alertId of alertIds) {
    try {
      await client.workflow.start("deliverAlert", {
        workflowId: `deliver-${alertId}`,
        taskQueue: TASK_QUEUE,
        args: [{ tenantId: principal.tenantId, alertId }],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
