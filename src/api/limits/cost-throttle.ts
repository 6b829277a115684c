import { AppError } from "../../core/errors.js";
import type { ChangeFeed } from "../../db/changes.js";
import type { Db } from "../../db/client.js";
import { type Bucket, chargeCost, refundCost, type ThrottleStatus } from "./throttle.js";

/** What this process last heard from Postgres about one bucket. */
interface Seen {
  /** Whose plan sizes it (a plan or billing change forgets it). */
  tenantId: string | null;
  capacity: number;
  level: number;
  /** performance.now() of the answer. */
  at: number;
  /** Charged by this process without waiting, not answered yet. */
  pending: number;
  /** Those charges on their way: an awaited charge goes after them, so none of them is refused for it. */
  readonly inFlight: Set<Promise<unknown>>;
}

export interface CostThrottle {
  /** Charges the requested cost, or throws RATE_LIMITED with nothing charged. */
  charge(bucket: Bucket, cost: number): Promise<ThrottleStatus>;
  /**
   * Gives back what was charged but not used, given the status `charge` answered: a charge that
   * was not awaited and that Postgres then refused charged nothing, so nothing is given back.
   */
  refund(key: string, amount: number, charged: ThrottleStatus): Promise<void>;
}

export interface CostThrottleOptions {
  /** How long an answer from Postgres may steer admissions without waiting. */
  readonly freshMs?: number;
  /** Buckets remembered at most (the oldest are forgotten first). */
  readonly maxBuckets?: number;
  readonly onError: (error: unknown) => void;
  /** The change feed: a tenant's billing or a plan changing forgets the buckets it sizes. */
  readonly changes: ChangeFeed;
}

/**
 * The shared leaky buckets (Postgres, every API process) with the round trip taken off the
 * latency path where the answer is not in doubt: while this process's latest answer for the
 * bucket is at most `freshMs` old and, with what it has charged since, leaves at least half of
 * the bucket free after this cost, the request runs at once and its charge follows without
 * waiting. Otherwise (a new bucket, a stale or half-spent one) the charge is awaited and a cost
 * that does not fit is refused. Every charge still lands in the shared bucket, so other processes
 * see it on their next answer; what the shortcut can let through is bounded by half a bucket per
 * process within `freshMs`, and only if other processes spent that half meanwhile. A plan or
 * billing change (the change feed; a member's token check waits for the change fence) forgets the
 * buckets it sizes, so the next charge is awaited at the new size.
 */
export function createCostThrottle(db: Db, options: CostThrottleOptions): CostThrottle {
  const freshMs = options.freshMs ?? 1_000;
  const maxBuckets = options.maxBuckets ?? 10_000;
  const seen = new Map<string, Seen>();

  options.changes.subscribe((change) => {
    if (change === undefined || change.kind === "plan") seen.clear();
    else if (change.kind === "tenant") {
      for (const [key, s] of seen) if (s.tenantId === change.tenantId) seen.delete(key);
    }
  });

  const remember = (bucket: Bucket, capacity: number, level: number, pending: number) => {
    const key = bucket.key;
    const previous = seen.get(key);
    seen.delete(key);
    seen.set(key, {
      tenantId: bucket.tenantId,
      capacity,
      level,
      at: performance.now(),
      pending,
      inFlight: previous?.inFlight ?? new Set(),
    });
    if (seen.size > maxBuckets) {
      const oldest = seen.keys().next();
      if (!oldest.done) seen.delete(oldest.value);
    }
  };

  const levelNow = (s: Seen, now: number) => Math.max(0, s.level - ((now - s.at) / 1000) * (s.capacity / 60)) + s.pending;

  /** Records an answer: the bucket's state (a refusal carries it too); false for any other error. */
  const heard = (bucket: Bucket, answer: ThrottleStatus | unknown): boolean => {
    const status =
      answer instanceof AppError
        ? (answer.details.cost as { throttle?: ThrottleStatus } | undefined)?.throttle
        : (answer as ThrottleStatus);
    if (!status) return false;
    remember(bucket, status.capacity, status.capacity - status.remaining, seen.get(bucket.key)?.pending ?? 0);
    return true;
  };

  const awaited = async (bucket: Bucket, cost: number): Promise<ThrottleStatus> => {
    const before = seen.get(bucket.key)?.inFlight;
    if (before && before.size > 0) await Promise.allSettled([...before]);
    try {
      const status = await chargeCost(db, bucket, cost);
      heard(bucket, status);
      return status;
    } catch (error) {
      heard(bucket, error);
      throw error;
    }
  };

  /** The charges not awaited, by the status answered for them: whether Postgres took them. */
  const unawaited = new WeakMap<ThrottleStatus, Promise<boolean>>();

  const following = (bucket: Bucket, cost: number, s: Seen): Promise<boolean> => {
    s.pending += cost;
    const answered = (answer: unknown) => {
      const current = seen.get(bucket.key);
      if (current) current.pending = Math.max(0, current.pending - cost);
      return heard(bucket, answer);
    };
    const charged = chargeCost(db, bucket, cost).then(
      (status) => {
        answered(status);
        return true;
      },
      (error: unknown) => {
        if (!answered(error)) options.onError(error);
        return false;
      },
    );
    s.inFlight.add(charged);
    void charged.finally(() => s.inFlight.delete(charged));
    return charged;
  };

  return {
    charge(bucket, cost) {
      const s = seen.get(bucket.key);
      const now = performance.now();
      if (s && now - s.at <= freshMs) {
        const level = levelNow(s, now);
        if (s.capacity - level - cost >= s.capacity / 2) {
          const status: ThrottleStatus = {
            capacity: s.capacity,
            remaining: Math.max(0, Math.floor(s.capacity - level - cost)),
            refillPerSecond: Math.round((s.capacity / 60) * 1000) / 1000,
          };
          unawaited.set(status, following(bucket, cost, s));
          return Promise.resolve(status);
        }
      }
      return awaited(bucket, cost);
    },
    async refund(key, amount, charged) {
      if (amount <= 0 || !(await (unawaited.get(charged) ?? true))) return;
      await refundCost(db, key, amount);
      const s = seen.get(key);
      if (s && amount > 0) s.level = Math.max(0, s.level - amount);
    },
  };
}
