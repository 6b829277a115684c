import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { notFound } from "../core/errors.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import type { ModelTask } from "../models/index.js";
import { type TrainingStatus, trainingRuns } from "./schema.js";

export type TrainingRun = Omit<typeof trainingRuns.$inferSelect, "tenantId">;
export type TrainingTrigger = TrainingRun["trigger"];

const columns = {
  id: trainingRuns.id,
  assetTypeId: trainingRuns.assetTypeId,
  task: trainingRuns.task,
  trigger: trainingRuns.trigger,
  reason: trainingRuns.reason,
  requestedBy: trainingRuns.requestedBy,
  status: trainingRuns.status,
  versionId: trainingRuns.versionId,
  promoted: trainingRuns.promoted,
  error: trainingRuns.error,
  startedAt: trainingRuns.startedAt,
  finishedAt: trainingRuns.finishedAt,
};

/** Records a run once (a retried activity finds it there). */
export async function openRun(
  ctx: TenantContext,
  input: { runId: string; assetTypeId: string; task: ModelTask; trigger: TrainingTrigger; reason: string; requestedBy: string },
): Promise<void> {
  await ctx.tx
    .insert(trainingRuns)
    .values({
      tenantId: ctx.principal.tenantId,
      id: input.runId,
      assetTypeId: input.assetTypeId,
      task: input.task,
      trigger: input.trigger,
      reason: input.reason,
      requestedBy: input.requestedBy,
    })
    .onConflictDoNothing({ target: [trainingRuns.tenantId, trainingRuns.id] });
}

/** Ends a run that is still running; an ended run keeps its first outcome. */
export async function closeRun(
  ctx: TenantContext,
  input: { runId: string; status: Exclude<TrainingStatus, "running">; versionId?: string; promoted?: boolean; error?: string },
): Promise<void> {
  await ctx.tx
    .update(trainingRuns)
    .set({
      status: input.status,
      versionId: input.versionId ?? null,
      promoted: input.promoted === undefined ? null : input.promoted ? 1 : 0,
      error: input.error?.slice(0, 2000) ?? null,
      finishedAt: new Date(),
    })
    .where(and(eq(trainingRuns.tenantId, ctx.principal.tenantId), eq(trainingRuns.id, input.runId), eq(trainingRuns.status, "running")));
}

export async function getRun(ctx: TenantContext, runId: string): Promise<TrainingRun> {
  const [row] = await ctx.tx
    .select(columns)
    .from(trainingRuns)
    .where(and(eq(trainingRuns.tenantId, ctx.principal.tenantId), eq(trainingRuns.id, runId)));
  if (!row) throw notFound("Training run", runId);
  return row;
}

/** Newest first. */
export async function listRuns(
  ctx: TenantContext,
  input: { page: PageRequest; assetTypeId?: string | null | undefined },
): Promise<Page<TrainingRun>> {
  const filters: SQL[] = [eq(trainingRuns.tenantId, ctx.principal.tenantId)];
  if (input.assetTypeId) filters.push(eq(trainingRuns.assetTypeId, input.assetTypeId));
  if (input.page.afterKey) filters.push(lt(trainingRuns.id, input.page.afterKey));
  const rows = await ctx.tx
    .select(columns)
    .from(trainingRuns)
    .where(and(...filters))
    .orderBy(desc(trainingRuns.id))
    .limit(input.page.first + 1);
  return toPage(rows, input.page, (r) => r.id);
}
