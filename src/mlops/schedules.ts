import { type ScheduleClient, ScheduleNotFoundError } from "@temporalio/client";
import { getAssetType } from "../assets/index.js";
import { recordAudit } from "../audit/index.js";
import { actorOf, type TenantContext } from "../core/context.js";
import { validation } from "../core/errors.js";
import { startWorkflowAction } from "../temporal/starter.js";
import type { MlopsDeps } from "./deps.js";
import { DEFAULT_DRIFT_THRESHOLD, DEFAULT_DRIFT_WINDOW_HOURS } from "./drift-check.js";
import type { DriftRequest, TrainRequest } from "./requests.js";
import { DRIFT_WATCH, TRAIN_MODEL } from "./workflow-contracts.js";

export interface ModelSchedule {
  readonly assetTypeId: string;
  /** Hours between scheduled retrainings; null: none. */
  readonly retrainEveryHours: number | null;
  /** Hours between drift checks; null: none. */
  readonly driftCheckEveryHours: number | null;
  readonly driftThreshold: number;
}

type ScheduleContext = TenantContext<Pick<MlopsDeps, "workflows">>;

const MAX_HOURS = 24 * 366;

/** Schedule ids carry the tenant: a tenant reaches only its own through its verbs. */
const retrainId = (tenantId: string, assetTypeId: string) => `retrain-${tenantId}-${assetTypeId}`;
const driftId = (tenantId: string, assetTypeId: string) => `drift-${tenantId}-${assetTypeId}`;

function checkHours(value: number | null, field: string): void {
  if (value !== null && !(Number.isInteger(value) && value >= 1 && value <= MAX_HOURS)) {
    throw validation(`"${field}" must be a whole number of hours from 1 to ${MAX_HOURS}, or null for none.`, { field });
  }
}

async function replace(schedules: ScheduleClient, id: string, hours: number | null, start: () => Promise<unknown>): Promise<void> {
  try {
    await schedules.getHandle(id).delete();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  if (hours !== null) await start();
}

/** Sets (or clears) the retraining and drift-check schedules of an asset type. Audited. */
export async function setModelSchedule(ctx: ScheduleContext, input: ModelSchedule): Promise<ModelSchedule> {
  await getAssetType(ctx, input.assetTypeId);
  checkHours(input.retrainEveryHours, "retrainEveryHours");
  checkHours(input.driftCheckEveryHours, "driftCheckEveryHours");
  if (!(input.driftThreshold > 0 && input.driftThreshold <= 10)) {
    throw validation('"driftThreshold" is a PSI above 0 and at most 10 (0.1 small, 0.25 large shift).', { field: "driftThreshold" });
  }
  const tenantId = ctx.principal.tenantId;
  const actor = actorOf(ctx.principal);
  const schedules = await ctx.deps.workflows.schedules();
  await recordAudit(ctx, { action: "model.schedule", targetType: "asset_type", targetId: input.assetTypeId, data: { ...input } });
  const train: TrainRequest = {
    tenantId,
    assetTypeId: input.assetTypeId,
    task: "rul",
    trigger: "schedule",
    reason: `scheduled retraining every ${input.retrainEveryHours} h`,
    requestedBy: `${actor.kind}:${actor.id}`,
  };
  await replace(schedules, retrainId(tenantId, input.assetTypeId), input.retrainEveryHours, () =>
    schedules.create({
      scheduleId: retrainId(tenantId, input.assetTypeId),
      spec: { intervals: [{ every: `${input.retrainEveryHours}h` }] },
      action: startWorkflowAction(TRAIN_MODEL, [train]),
      policies: { overlap: "SKIP" },
      memo: { tenantId },
    }),
  );
  const drift: DriftRequest = {
    tenantId,
    assetTypeId: input.assetTypeId,
    threshold: input.driftThreshold,
    windowHours: input.driftCheckEveryHours ?? DEFAULT_DRIFT_WINDOW_HOURS,
  };
  await replace(schedules, driftId(tenantId, input.assetTypeId), input.driftCheckEveryHours, () =>
    schedules.create({
      scheduleId: driftId(tenantId, input.assetTypeId),
      spec: { intervals: [{ every: `${input.driftCheckEveryHours}h` }] },
      action: startWorkflowAction(DRIFT_WATCH, [drift]),
      policies: { overlap: "SKIP" },
      memo: { tenantId },
    }),
  );
  return getModelSchedule(ctx, input.assetTypeId);
}

/** The asset type's schedules as Temporal holds them. */
export async function getModelSchedule(ctx: ScheduleContext, assetTypeId: string): Promise<ModelSchedule> {
  await getAssetType(ctx, assetTypeId);
  const schedules = await ctx.deps.workflows.schedules();
  const tenantId = ctx.principal.tenantId;
  const hoursOf = async (id: string): Promise<{ hours: number | null; args: unknown[] }> => {
    try {
      const d = await schedules.getHandle(id).describe();
      const ms = d.spec.intervals?.[0]?.every ?? Number.NaN;
      const action = d.action as { args?: unknown[] };
      return { hours: Number.isFinite(ms) ? Math.round(ms / 3_600_000) : null, args: action.args ?? [] };
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return { hours: null, args: [] };
      throw error;
    }
  };
  const retrain = await hoursOf(retrainId(tenantId, assetTypeId));
  const drift = await hoursOf(driftId(tenantId, assetTypeId));
  const threshold = (drift.args[0] as DriftRequest | undefined)?.threshold ?? DEFAULT_DRIFT_THRESHOLD;
  return { assetTypeId, retrainEveryHours: retrain.hours, driftCheckEveryHours: drift.hours, driftThreshold: threshold };
}
