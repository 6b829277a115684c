import type { Principal } from "../../core/context.js";
import { AppError } from "../../core/errors.js";
import type { Db } from "../../db/client.js";

/** The state of a caller's bucket, as `extensions.cost.throttle` shows it. */
export interface ThrottleStatus {
  readonly capacity: number;
  readonly remaining: number;
  readonly refillPerSecond: number;
}

export interface Bucket {
  /** The bucket's key: per API key, per member (user and tenant), per operator, per client address. */
  readonly key: string;
  /** Whose plan sizes the bucket; null: the default. */
  readonly tenantId: string | null;
  /** Points per minute when the tenant's plan does not say (or there is no tenant). */
  readonly defaultPerMinute: number;
}

export interface RateSettings {
  readonly perMinute: number;
  readonly anonymousPerMinute: number;
}

export function bucketOf(principal: Principal, clientAddress: string, settings: RateSettings): Bucket {
  switch (principal.kind) {
    case "apiKey":
      return { key: `key:${principal.apiKeyId}`, tenantId: principal.tenantId, defaultPerMinute: settings.perMinute };
    case "member":
      return {
        key: `member:${principal.tenantId}:${principal.userId}`,
        tenantId: principal.tenantId,
        defaultPerMinute: settings.perMinute,
      };
    case "operator":
      return { key: `operator:${principal.operatorId}`, tenantId: null, defaultPerMinute: settings.perMinute };
    case "anonymous":
      return { key: `address:${clientAddress}`, tenantId: null, defaultPerMinute: settings.anonymousPerMinute };
  }
}

interface ChargeRow {
  readonly allowed: boolean;
  readonly capacity: number;
  readonly level: number;
  readonly retry_after_seconds: number;
}

const statusOf = (capacity: number, level: number): ThrottleStatus => ({
  capacity,
  remaining: Math.max(0, Math.floor(capacity - level)),
  refillPerSecond: Math.round((capacity / 60) * 1000) / 1000,
});

async function chargeRow(db: Db, bucket: Bucket, cost: number): Promise<ChargeRow> {
  const [row] = await db.sql<ChargeRow[]>`
    select allowed, capacity, level, retry_after_seconds
    from graphql_cost_charge(${bucket.key}, ${bucket.tenantId}, ${Math.ceil(cost)}, ${bucket.defaultPerMinute})`;
  if (!row) throw new Error("graphql_cost_charge returned no row");
  return row;
}

/**
 * Charges the requested cost to the caller's leaky bucket in one round trip (the bucket lives in
 * Postgres, shared by every API process), or refuses with RATE_LIMITED and nothing charged.
 */
export async function chargeCost(db: Db, bucket: Bucket, cost: number): Promise<ThrottleStatus> {
  return settle(await chargeRow(db, bucket, cost), cost);
}

function settle(row: ChargeRow, cost: number): ThrottleStatus {
  const status = statusOf(row.capacity, row.level);
  if (!row.allowed) {
    throw new AppError(
      "RATE_LIMITED",
      `This request costs ${Math.ceil(cost)} points and ${status.remaining} of ${status.capacity} are left this minute; try again in ${row.retry_after_seconds} seconds.`,
      { retryAfterSeconds: row.retry_after_seconds, cost: { requested: Math.ceil(cost), actual: 0, throttle: status } },
    );
  }
  return status;
}

/** Gives back what was charged but not used (the answer cost less than requested). */
export async function refundCost(db: Db, key: string, amount: number): Promise<void> {
  if (amount <= 0) return;
  await db.sql`select graphql_cost_refund(${key}, ${Math.floor(amount)})`;
}

/** The status after a refund, as the answer reports it (the refund itself may still be on its way). */
export function afterRefund(status: ThrottleStatus, amount: number): ThrottleStatus {
  return { ...status, remaining: Math.min(status.capacity, status.remaining + Math.max(0, Math.floor(amount))) };
}
