import { and, desc, eq, lt } from "drizzle-orm";
import { getAssetType } from "../assets/index.js";
import type { TenantContext } from "../core/context.js";
import { conflict } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { championOf } from "../models/index.js";
import type { TelemetryStore } from "../telemetry/index.js";
import { compareWithProfile, type FleetProfile } from "./drift.js";
import { type FleetPlan, planFleet } from "./fleet.js";
import { driftChecks } from "./schema.js";
import { type FleetSeries, readFleetSeries } from "./series.js";

export type DriftCheck = Omit<typeof driftChecks.$inferSelect, "tenantId">;

export const DEFAULT_DRIFT_THRESHOLD = 0.25;
export const DEFAULT_DRIFT_WINDOW_HOURS = 24;

/** What a drift check compares: the champion's training distribution and the fleet to read. */
export interface DriftCheckPlan {
  readonly championVersionId: string;
  readonly profile: FleetProfile;
  readonly fleet: FleetPlan;
}

async function recordedCheck(ctx: TenantContext, id: string): Promise<DriftCheck | undefined> {
  const [done] = await ctx.tx
    .select()
    .from(driftChecks)
    .where(and(eq(driftChecks.tenantId, ctx.principal.tenantId), eq(driftChecks.id, id)));
  if (!done) return undefined;
  const { tenantId: _, ...check } = done;
  return check;
}

/**
 * The first half of a drift check, in Postgres: a retried check finds its first outcome (and its
 * one training run); else the champion's training distribution and the fleet to read.
 */
export async function planDriftCheck(
  ctx: TenantContext,
  input: { id: string; assetTypeId: string },
): Promise<{ readonly done: DriftCheck } | { readonly plan: DriftCheckPlan }> {
  const done = await recordedCheck(ctx, input.id);
  if (done) return { done };
  const champion = await championOf(ctx, { assetTypeId: input.assetTypeId, task: "rul" });
  if (!champion) throw conflict("This asset type has no champion model: there is no training distribution to compare with.");
  const profile = (champion.lineage.profile ?? {}) as FleetProfile;
  const settingKeys = Array.isArray(champion.params.settingKeys) ? champion.params.settingKeys.map(String) : undefined;
  const fleet = await planFleet(ctx, { assetTypeId: input.assetTypeId, settingKeys });
  return { plan: { championVersionId: champion.id, profile, fleet } };
}

/** The fleet's telemetry of the last `windowHours` before `now`, read from InfluxDB (outside any transaction). */
export function readRecentFleet(
  store: TelemetryStore,
  plan: DriftCheckPlan,
  input: { windowHours: number; now: Date },
): Promise<FleetSeries> {
  return readFleetSeries(store, plan.fleet, { from: new Date(input.now.getTime() - input.windowHours * 3_600_000), to: input.now });
}

/**
 * Compares the recent telemetry with the champion's training distribution (PSI per sensor) and
 * records the check; a training run id is reserved when a sensor drifted beyond the threshold.
 * A check recorded meanwhile (a repeated attempt) is answered as it was.
 */
export async function recordDriftCheck(
  ctx: TenantContext,
  input: { id: string; assetTypeId: string; threshold: number; windowHours: number; plan: DriftCheckPlan; recent: FleetSeries },
): Promise<DriftCheck> {
  const done = await recordedCheck(ctx, input.id);
  if (done) return done;
  const report = compareWithProfile(input.plan.profile, input.recent.set, input.threshold);
  const [row] = await ctx.tx
    .insert(driftChecks)
    .values({
      tenantId: ctx.principal.tenantId,
      id: input.id,
      assetTypeId: input.assetTypeId,
      modelVersionId: input.plan.championVersionId,
      threshold: input.threshold,
      windowHours: input.windowHours,
      psi: report.psi,
      drifted: [...report.drifted],
      recentValues: report.recentValues,
      trainingRunId: report.drifted.length > 0 ? newId("trainingRun") : null,
    })
    .returning();
  if (!row) throw new Error("The drift check was not stored");
  const { tenantId: _, ...check } = row;
  return check;
}

/** Why a drift check started a training, in words. */
export function driftReason(check: DriftCheck): string {
  const worst = check.drifted.slice(0, 5).map((s) => `${s} (PSI ${(check.psi[s] ?? 0).toFixed(2)})`);
  return `drift over the last ${check.windowHours} h: ${worst.join(", ")} above ${check.threshold}`;
}

/** Newest first. */
export async function listDriftChecks(ctx: TenantContext, input: { assetTypeId: string; page: PageRequest }): Promise<Page<DriftCheck>> {
  await getAssetType(ctx, input.assetTypeId);
  const own = and(eq(driftChecks.tenantId, ctx.principal.tenantId), eq(driftChecks.assetTypeId, input.assetTypeId));
  const rows = await ctx.tx
    .select()
    .from(driftChecks)
    .where(input.page.afterKey ? and(own, lt(driftChecks.id, input.page.afterKey)) : own)
    .orderBy(desc(driftChecks.id))
    .limit(input.page.first + 1);
  return toPage(
    rows.map(({ tenantId: _, ...r }) => r),
    input.page,
    (r) => r.id,
  );
}
