import { deviceTargets, type SensorValueType } from "../assets/index.js";
import { type BillingState, billingState } from "../billing/index.js";
import { deviceCall } from "../core/calls.js";
import { DEVICE_SCOPES, systemClock } from "../core/context.js";
import type { ChangeFence } from "../db/change-fence.js";
import type { ChangeFeed } from "../db/changes.js";
import type { Db } from "../db/client.js";
import { telemetryLimits } from "../tenancy/index.js";

/** An asset a device may write for, as the validator needs it. */
export interface WriteTarget {
  readonly assetId: string;
  readonly typeKey: string;
  readonly fields: ReadonlySet<string>;
  readonly types: ReadonlyMap<string, SensorValueType>;
}

/** What one device may write, and the limits of its tenant. */
export interface DeviceScope {
  readonly tenantId: string;
  readonly deviceId: string;
  readonly retentionDays: number;
  readonly dailyPointQuota: number | null;
  /** The tenant's billing status and plan when the scope was loaded (as stale as the rest of it). */
  readonly billing: BillingState;
  /** By asset external id. */
  readonly targets: ReadonlyMap<string, WriteTarget>;
}

/**
 * A fallback only: every change a scope depends on is announced on the change feed and clears
 * the scopes it touches at once, on every process.
 */
const FALLBACK_TTL_MS = 60_000;
/** Devices cached per process; beyond this the cache starts over (it refills in one query per device). */
const MAX_ENTRIES = 10_000;

interface Entry {
  readonly scope: Promise<DeviceScope | undefined>;
  expiresAt: number;
  /** The plan whose limits the scope holds, once loaded. */
  planId?: string | null;
}

export interface ScopeCacheOptions {
  readonly billingGraceDays: number;
  /** Changes of devices, tenants and plans clear the scopes they touch. */
  readonly changes: ChangeFeed;
  /** Confirms, before a cached scope is used, that every change committed so far was seen. */
  readonly fence: ChangeFence;
  readonly ttlMs?: number;
}

/**
 * Loads a device's write scope from Postgres, cached per process so a batch costs no query for
 * it. Every change to a device's assets and tokens, the tenant's sensors, retention, quota,
 * billing status and plan, and a plan's limits, is announced on the change feed and clears the
 * scopes it touches; before a cached scope is used, the change fence confirms that every change
 * committed before the request has been seen, so the first request after a change's commit
 * already sees it, on every process. When the feed cannot confirm that, the scope is read anew.
 */
export function createScopeCache(db: Db, options: ScopeCacheOptions) {
  const ttlMs = options.ttlMs ?? FALLBACK_TTL_MS;
  const { fence } = options;
  /** By tenant, then device. */
  const cache = new Map<string, Map<string, Entry>>();
  let size = 0;
  let epoch = fence.epoch;

  const clear = () => {
    cache.clear();
    size = 0;
  };
  const dropTenant = (tenantId: string) => {
    size -= cache.get(tenantId)?.size ?? 0;
    cache.delete(tenantId);
  };
  const dropDevice = (tenantId: string, deviceId: string) => {
    const devices = cache.get(tenantId);
    if (devices?.delete(deviceId)) size -= 1;
    if (devices?.size === 0) cache.delete(tenantId);
  };
  const dropPlan = (planId: string) => {
    for (const [tenantId, devices] of cache) {
      for (const [deviceId, entry] of devices) {
        // A scope still loading may have read the plan before the change.
        if (entry.planId === undefined || entry.planId === planId) dropDevice(tenantId, deviceId);
      }
    }
  };

  options.changes.subscribe((change) => {
    if (!change) return clear();
    switch (change.kind) {
      case "device":
        if (change.deviceId) dropDevice(change.tenantId, change.deviceId);
        else dropTenant(change.tenantId);
        return;
      case "tenant":
        return dropTenant(change.tenantId);
      case "plan":
        return dropPlan(change.planId);
      default:
        return;
    }
  });

  async function load(tenantId: string, deviceId: string): Promise<DeviceScope | undefined> {
    const billingDeps = { db, billingGraceDays: options.billingGraceDays, clock: systemClock };
    return deviceCall(
      billingDeps,
      { kind: "device", tenantId, deviceId, scopes: DEVICE_SCOPES },
      `device-scope:${deviceId}`,
      async (ctx) => {
        const tx = ctx.tx;
        const tenant = await telemetryLimits({ tx, principal: { tenantId } });
        if (!tenant) return undefined;
        const billing = await billingState(ctx);
        const rows = await deviceTargets({ tx, principal: { tenantId } }, deviceId);
        const targets = new Map<string, { assetId: string; typeKey: string; fields: Set<string>; types: Map<string, SensorValueType> }>();
        for (const r of rows) {
          let t = targets.get(r.externalId);
          if (!t) {
            t = { assetId: r.assetId, typeKey: r.typeKey, fields: new Set(), types: new Map() };
            targets.set(r.externalId, t);
          }
          if (r.sensor) {
            t.fields.add(r.sensor);
            if (r.valueType) t.types.set(r.sensor, r.valueType);
          }
        }
        // The tenant's own retention: the free tier's from sign-up, a subscribed plan's from its webhook.
        // Tenants that predate the free tier keep theirs, so no stored telemetry is dropped on deploy.
        return { tenantId, deviceId, retentionDays: tenant.retentionDays, dailyPointQuota: tenant.dailyPointQuota, billing, targets };
      },
    );
  }

  function remember(tenantId: string, deviceId: string): Entry {
    if (size >= MAX_ENTRIES) clear();
    const entry: Entry = { scope: load(tenantId, deviceId), expiresAt: Date.now() + ttlMs };
    let devices = cache.get(tenantId);
    if (!devices) {
      devices = new Map();
      cache.set(tenantId, devices);
    }
    if (!devices.has(deviceId)) size += 1;
    devices.set(deviceId, entry);
    entry.scope.then(
      (scope) => {
        entry.planId = scope?.billing.plan?.id ?? null;
        // A payment overdue turns the tenant read-only when the grace period ends: no change is
        // announced then, so the scope ends with it.
        const graceEnds = scope?.billing.status === "past_due" ? scope.billing.graceEndsAt?.getTime() : undefined;
        if (graceEnds !== undefined) entry.expiresAt = Math.min(entry.expiresAt, graceEnds);
      },
      () => {
        if (cache.get(tenantId)?.get(deviceId) === entry) dropDevice(tenantId, deviceId);
      },
    );
    return entry;
  }

  return {
    async get(tenantId: string, deviceId: string): Promise<DeviceScope | undefined> {
      if (!(await fence.sync())) return load(tenantId, deviceId);
      if (fence.epoch !== epoch) {
        clear();
        epoch = fence.epoch;
      }
      const hit = cache.get(tenantId)?.get(deviceId);
      if (hit && Date.now() < hit.expiresAt) return hit.scope;
      return remember(tenantId, deviceId).scope;
    },
    clear,
  };
}

export type ScopeCache = ReturnType<typeof createScopeCache>;
