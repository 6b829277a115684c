import { eq } from "drizzle-orm";
import type { Tx } from "../db/client.js";
import { tenants } from "./schema.js";

/** The tenant's limits on its telemetry: how long points are kept, and its own daily point quota (null: the plan's only). */
export interface TelemetryLimits {
  readonly retentionDays: number;
  readonly dailyPointQuota: number | null;
}

/** In the tenant's transaction (RLS); undefined when the tenant does not exist (any more). */
export async function telemetryLimits(ctx: {
  readonly tx: Tx;
  readonly principal: { readonly tenantId: string };
}): Promise<TelemetryLimits | undefined> {
  const [row] = await ctx.tx
    .select({ retentionDays: tenants.retentionDays, dailyPointQuota: tenants.dailyPointQuota })
    .from(tenants)
    .where(eq(tenants.id, ctx.principal.tenantId));
  return row;
}
