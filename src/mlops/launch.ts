import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from "@temporalio/client";
import { DELIVER_ALERT } from "../alerts/index.js";
import { getAssetType } from "../assets/index.js";
import { recordAudit } from "../audit/index.js";
import { checkCountLimit, checkPlanQuota } from "../billing/index.js";
import { actorOf, type Principal, type TenantContext } from "../core/context.js";
import { conflict, notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { findModel, type ModelTask } from "../models/index.js";
import type { MlopsDeps } from "./deps.js";
import { DEFAULT_DRIFT_THRESHOLD, DEFAULT_DRIFT_WINDOW_HOURS } from "./drift-check.js";
import { fitShareOf } from "./heartbeat.js";
import type { DriftRequest, ScoreRequest, TrainRequest } from "./requests.js";
import { getRun, openRun, type TrainingRun } from "./runs.js";
import { DRIFT_WATCH, SCORE_FLEET, TRAIN_MODEL } from "./workflow-contracts.js";
import { type TrainProgress, trainProgressQuery } from "./workflow-queries.js";

type LaunchContext = TenantContext<Pick<MlopsDeps, "workflows" | "clock">>;

/** A training run with the stage its workflow is at (while running). */
export interface TrainingRunView extends Omit<TrainingRun, "promoted"> {
  readonly promoted: boolean | null;
  readonly progress: TrainProgress | null;
}

/** A run as stored, without asking its workflow (lists). */
export function runView(run: TrainingRun, progress: TrainProgress | null = null): TrainingRunView {
  return { ...run, promoted: run.promoted === null ? null : run.promoted === 1, progress };
}

/** The stage of a running training, from the workflow itself; null once it has ended. */
async function trainingProgress(ctx: LaunchContext, run: TrainingRun): Promise<TrainProgress | null> {
  if (run.status !== "running") return null;
  try {
    const handle = await ctx.deps.workflows.handle(TRAIN_MODEL, run.id);
    const progress = await handle.query(trainProgressQuery);
    if (progress.stage !== "fitting") return progress;
    // While fitting, the activity's heartbeats carry its share of the work.
    const description = await handle.describe();
    const share = fitShareOf(description.raw.pendingActivities?.[0]?.heartbeatDetails);
    return { stage: "fitting", percent: Math.round(10 + 80 * share) };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** A training run with its progress while it runs; another tenant's run is NOT_FOUND. */
export async function trainingRunView(ctx: LaunchContext, runId: string): Promise<TrainingRunView> {
  const run = await getRun(ctx, runId);
  return runView(run, await trainingProgress(ctx, run));
}

/**
 * Starts a training workflow for an asset type. The run's row is written in the caller's
 * transaction before the workflow starts, so a failed start leaves nothing behind. The plan's
 * training runs per day and its number of models are checked before anything starts (the
 * training re-checks the day's runs where it records its usage).
 */
export async function startTraining(
  ctx: LaunchContext,
  input: { assetTypeId: string; task: ModelTask; reason: string; promoteMargin?: number | null | undefined },
): Promise<TrainingRunView> {
  await getAssetType(ctx, input.assetTypeId);
  const reason = input.reason.trim();
  if (reason.length < 1 || reason.length > 500) throw validation("Give a reason of 1 to 500 characters.", { field: "reason" });
  const margin = input.promoteMargin ?? undefined;
  if (margin !== undefined && !(margin >= 0 && margin < 1)) {
    throw validation('"promoteMargin" is a share from 0 (any improvement) to below 1.', { field: "promoteMargin" });
  }
  const tenantId = ctx.principal.tenantId;
  await checkPlanQuota(ctx, { meter: "training_runs", quantity: 1, now: ctx.deps.clock.now().getTime() });
  if (!(await findModel(ctx, { assetTypeId: input.assetTypeId, task: input.task }))) {
    await checkCountLimit(ctx, { entitlement: "maxModels" });
  }
  const actor = actorOf(ctx.principal);
  const runId = newId("trainingRun");
  const request: TrainRequest = {
    tenantId,
    assetTypeId: input.assetTypeId,
    task: input.task,
    trigger: "manual",
    reason,
    requestedBy: `${actor.kind}:${actor.id}`,
    ...(margin === undefined ? {} : { promoteMargin: margin }),
  };
  await openRun(ctx, { runId, ...request });
  await recordAudit(ctx, { action: "model.train", targetType: "asset_type", targetId: input.assetTypeId, data: { runId, reason } });
  await ctx.deps.workflows.start(TRAIN_MODEL, { workflowId: runId, args: [request] });
  return trainingRunView(ctx, runId);
}

/** Asks a running training to stop; it registers nothing and ends as "cancelled". */
export async function cancelTraining(ctx: LaunchContext, runId: string): Promise<TrainingRunView> {
  const run = await getRun(ctx, runId);
  if (run.status !== "running") throw conflict(`Training run ${runId} has already ended (${run.status}).`, { status: run.status });
  await recordAudit(ctx, { action: "model.train.cancel", targetType: "training_run", targetId: runId });
  await (await ctx.deps.workflows.handle(TRAIN_MODEL, runId)).cancel();
  return runView(run, await trainingProgress(ctx, run));
}

/** Starts batch scoring of every asset of a type with its champion; returns the workflow id. */
export async function startScoring(ctx: LaunchContext, input: { assetTypeId: string }): Promise<string> {
  await getAssetType(ctx, input.assetTypeId);
  const runId = newId("scoringRun");
  const request: ScoreRequest = { tenantId: ctx.principal.tenantId, assetTypeId: input.assetTypeId };
  await recordAudit(ctx, { action: "model.score", targetType: "asset_type", targetId: input.assetTypeId, data: { runId } });
  await ctx.deps.workflows.start(SCORE_FLEET, { workflowId: runId, args: [request], memo: { tenantId: ctx.principal.tenantId } });
  return runId;
}

/** Starts a drift check of an asset type now; returns its id (also the workflow's). */
export async function startDriftCheck(
  ctx: LaunchContext,
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
  await ctx.deps.workflows.start(DRIFT_WATCH, { workflowId: checkId, args: [request] });
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
export async function scoringRun(ctx: LaunchContext, runId: string): Promise<ScoringRun> {
  const handle = await ctx.deps.workflows.handle(SCORE_FLEET, runId);
  let description: Awaited<ReturnType<typeof handle.describe>>;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw notFound("Scoring run", runId);
    throw error;
  }
  if (description.type !== SCORE_FLEET.name || description.memo?.tenantId !== ctx.principal.tenantId) throw notFound("Scoring run", runId);
  const status = description.status.name;
  const result = status === "COMPLETED" ? await handle.result() : null;
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

/**
 * Starts the webhook deliveries of alerts raised by an online prediction (once per alert). Run
 * after the prediction's transaction committed: the delivery workflow reads the alert.
 */
export async function startDeliveries(
  deps: Pick<MlopsDeps, "workflows">,
  principal: Principal,
  alertIds: readonly string[],
): Promise<void> {
  if (principal.kind !== "member" && principal.kind !== "apiKey") return;
  for (const alertId of alertIds) {
    try {
      await deps.workflows.start(DELIVER_ALERT, { workflowId: `deliver-${alertId}`, args: [{ tenantId: principal.tenantId, alertId }] });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
