import { and, eq, sql } from "drizzle-orm";
import { newId } from "../core/ids.js";
import type { Tx } from "../db/client.js";
import { type Meter, usageDaily, usageLedger } from "./schema.js";

export interface UsageEntry {
  readonly meter: Meter;
  readonly quantity: number;
  /** The same key twice counts once: a retried request is not billed again. */
  readonly idempotencyKey: string;
  readonly source: string;
  readonly occurredAt: Date;
}

export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Appends usage to the ledger and to the day's running total, inside the caller's tenant
 * transaction. Returns false when the idempotency key was recorded before.
 */
export async function recordUsage(tx: Tx, tenantId: string, entry: UsageEntry): Promise<boolean> {
  if (!Number.isSafeInteger(entry.quantity) || entry.quantity <= 0)
    throw new Error(`Usage quantity must be a positive integer: ${entry.quantity}`);
  const inserted = await tx
    .insert(usageLedger)
    .values({ tenantId, id: newId("usage"), ...entry })
    .onConflictDoNothing({ target: [usageLedger.tenantId, usageLedger.idempotencyKey] })
    .returning({ id: usageLedger.id });
  if (inserted.length === 0) return false;
  await tx
    .insert(usageDaily)
    .values({ tenantId, meter: entry.meter, day: utcDay(entry.occurredAt), quantity: entry.quantity })
    .onConflictDoUpdate({
      target: [usageDaily.tenantId, usageDaily.meter, usageDaily.day],
      set: { quantity: sql`${usageDaily.quantity} + excluded.quantity` },
    });
  return true;
}

export async function usedOnDay(tx: Tx, tenantId: string, meter: Meter, day: string): Promise<number> {
  const [row] = await tx
    .select({ quantity: usageDaily.quantity })
    .from(usageDaily)
    .where(and(eq(usageDaily.tenantId, tenantId), eq(usageDaily.meter, meter), eq(usageDaily.day, day)));
  return row?.quantity ?? 0;
}
