import { and, desc, eq, lt } from "drizzle-orm";
import { getAssetType } from "../assets/asset-types.js";
import type { TenantContext } from "../core/context.js";
import { conflict } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { championOf } from "../models/aliases.js";
import type { TelemetryStore } from "../telemetry/index.js";
import { compareWithProfile, type FleetProfile } from "./drift.js";
import { planFleet } from "./fleet.js";
import { driftChecks } from "./schema.js";
import { readFleetSeries } from "./series.js";

export type DriftCheck = Omit<typeof driftChecks.$inferSelect, "tenantId">;

export const DEFAULT_DRIFT_THRESHOLD = 0.25;
export const DEFAULT_DRIFT_WINDOW_HOURS = 24;

/**
 * Compares the fleet's telemetry of the last `windowHours` with the champion's training
 * distribution (PSI per sensor) and records the check; a training run id is reserved when a
 * sensor drifted beyond the threshold.
 */
export async function runDriftCheck(
  ctx: TenantContext,
  store: TelemetryStore,
  input: { id: string; assetTypeId: string; threshold: number; windowHours: number; now: Date },
): Promise<DriftCheck> {
  // A retried check finds its first outcome (and its one training run).
  const [done] = await ctx.tx
    .select()
    .from(driftChecks)
    .where(and(eq(driftChecks.tenantId, ctx.principal.tenantId), eq(driftChecks.id, input.id)));
  if (done) {
    const { tenantId: _, ...check } = done;
    return check;
  }
  const champion = await championOf(ctx, { assetTypeId: input.assetTypeId, task: "rul" });
  if (!champion) throw conflict("This asset type has no champion model: there is no training distribution to compare with.");
  const profile = (champion.lineage.profile ?? {}) as FleetProfile;
  const settingKeys = Array.isArray(champion.params.settingKeys) ? champion.params.settingKeys.map(String) : undefined;
  const plan = await planFleet(ctx, { assetTypeId: input.assetTypeId, settingKeys });
  const recent = await readFleetSeries(store, plan, { from: new Date(input.now.getTime() - input.windowHours * 3_600_000), to: input.now });
  const report = compareWithProfile(profile, recent.set, input.threshold);
  const [row] = await ctx.tx
    .insert(driftChecks)
    .values({
      tenantId: ctx.principal.tenantId,
      id: input.id,
      assetTypeId: input.assetTypeId,
      modelVersionId: champion.id,
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
