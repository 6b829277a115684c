import { and, eq } from "drizzle-orm";
import { assets, assetTypes, deviceAssets, type SensorValueType, sensors } from "../assets/schema.js";
import { type BillingState, billingState } from "../billing/account.js";
import { type Db, withTenant } from "../db/client.js";
import { tenants } from "../tenancy/schema.js";

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

const TTL_MS = 5_000;
/** Devices cached per process; beyond this the cache starts over (it refills in one query per device). */
const MAX_ENTRIES = 10_000;

/**
 * Loads a device's write scope from Postgres, cached for a few seconds per process, so a batch
 * costs no query for it; changes to a device's assets, and to the tenant's billing status and
 * plan, apply within that time.
 */
export function createScopeCache(db: Db, options: { billingGraceDays: number; ttlMs?: number }) {
  const ttlMs = options.ttlMs ?? TTL_MS;
  const cache = new Map<string, { at: number; scope: Promise<DeviceScope | undefined> }>();

  async function load(tenantId: string, deviceId: string): Promise<DeviceScope | undefined> {
    return withTenant(db.db, { tenantId }, async (tx) => {
      const [tenant] = await tx
        .select({ retentionDays: tenants.retentionDays, dailyPointQuota: tenants.dailyPointQuota })
        .from(tenants)
        .where(eq(tenants.id, tenantId));
      if (!tenant) return undefined;
      const billing = await billingState(tx, tenantId, options.billingGraceDays);
      const rows = await tx
        .select({
          assetId: assets.id,
          externalId: assets.externalId,
          typeKey: assetTypes.key,
          sensor: sensors.key,
          valueType: sensors.valueType,
        })
        .from(deviceAssets)
        .innerJoin(assets, and(eq(assets.tenantId, deviceAssets.tenantId), eq(assets.id, deviceAssets.assetId)))
        .innerJoin(assetTypes, and(eq(assetTypes.tenantId, assets.tenantId), eq(assetTypes.id, assets.assetTypeId)))
        .leftJoin(sensors, and(eq(sensors.tenantId, assetTypes.tenantId), eq(sensors.assetTypeId, assetTypes.id)))
        .where(and(eq(deviceAssets.tenantId, tenantId), eq(deviceAssets.deviceId, deviceId)));
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
    });
  }

  return {
    get(tenantId: string, deviceId: string): Promise<DeviceScope | undefined> {
      const key = `${tenantId}/${deviceId}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < ttlMs) return hit.scope;
      if (cache.size >= MAX_ENTRIES) cache.clear();
      const entry = { at: Date.now(), scope: load(tenantId, deviceId) };
      cache.set(key, entry);
      entry.scope.catch(() => {
        if (cache.get(key) === entry) cache.delete(key);
      });
      return entry.scope;
    },
    clear(): void {
      cache.clear();
    },
  };
}

export type ScopeCache = ReturnType<typeof createScopeCache>;
