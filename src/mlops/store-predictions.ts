import { recordUsage } from "../billing/usage.js";
import type { TenantContext } from "../core/context.js";
import { assetPredictions } from "./schema.js";

export type NewPrediction = Omit<typeof assetPredictions.$inferInsert, "tenantId" | "source">;

/**
 * Stores predictions with their usage (one `predictions` unit each) in the caller's transaction,
 * once per usage key: a repeated key (a retried chunk) was stored and billed before, so nothing
 * is added and false is returned.
 */
export async function storePredictions(
  ctx: TenantContext,
  input: { rows: readonly NewPrediction[]; source: string; usageKey: string },
): Promise<boolean> {
  const tenantId = ctx.principal.tenantId;
  const billed = await recordUsage(ctx.tx, {
    tenantId,
    meter: "predictions",
    quantity: input.rows.length,
    idempotencyKey: input.usageKey,
    source: input.source.startsWith("online") ? "online" : "batch",
    at: new Date(),
  });
  if (!billed) return false;
  await ctx.tx.insert(assetPredictions).values(input.rows.map((r) => ({ ...r, tenantId, source: input.source })));
  return true;
}
