import { checkPlanQuota, recordUsage, usageRecorded } from "../billing/index.js";
import type { TenantContext } from "../core/context.js";
import { assetPredictions } from "./schema.js";

export type NewPrediction = Omit<typeof assetPredictions.$inferInsert, "tenantId" | "source">;

/**
 * Stores predictions with their usage (one `predictions` unit each) in the caller's transaction,
 * once per usage key: a repeated key (a retried chunk) was stored and billed before, so nothing
 * is added and false is returned. New predictions beyond the plan's predictions per day are
 * refused with QUOTA_EXCEEDED, and nothing of them is stored.
 */
export async function storePredictions(
  ctx: TenantContext,
  input: { rows: readonly NewPrediction[]; source: string; usageKey: string },
): Promise<boolean> {
  const tenantId = ctx.principal.tenantId;
  if (await usageRecorded(ctx.tx, tenantId, input.usageKey)) return false;
  const now = Date.now();
  await checkPlanQuota(ctx.tx, { tenantId, meter: "predictions", quantity: input.rows.length, now });
  const billed = await recordUsage(ctx.tx, {
    tenantId,
    meter: "predictions",
    quantity: input.rows.length,
    idempotencyKey: input.usageKey,
    source: input.source.startsWith("online") ? "online" : "batch",
    at: new Date(now),
  });
  if (!billed) return false;
  await ctx.tx.insert(assetPredictions).values(input.rows.map((r) => ({ ...r, tenantId, source: input.source })));
  return true;
}
