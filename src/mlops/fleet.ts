import { getAssetType, listAssets, requireAssets } from "../assets/index.js";
import type { TenantContext } from "../core/context.js";
import { validation } from "../core/errors.js";
import { pageRequest } from "../core/pagination.js";
import { failuresOf } from "../maintenance/index.js";

/** One asset of a fleet, with the failure that ends its run-to-failure series, if any. */
export interface FleetAsset {
  readonly assetId: string;
  readonly externalId: string;
  /** ISO time of the asset's first recorded failure. */
  readonly failureAt: string | null;
}

/** What to read for a fleet of one asset type: serialisable, so workflows can pass it on. */
export interface FleetPlan {
  readonly tenantId: string;
  readonly assetTypeId: string;
  readonly measurement: string;
  /** Operating settings (used to tell operating conditions apart), then sensors. */
  readonly settingKeys: readonly string[];
  readonly sensorKeys: readonly string[];
  readonly assets: readonly FleetAsset[];
}

/** By default the numeric sensors whose key starts with "setting" are operating settings. */
export const DEFAULT_SETTING_PATTERN = /^setting/i;

/**
 * The fleet of an asset type (or the given assets of it), its numeric fields split into settings
 * and sensors, and each asset's first failure from the maintenance events.
 */
export async function planFleet(
  ctx: TenantContext,
  input: { assetTypeId: string; assetIds?: readonly string[] | undefined; settingKeys?: readonly string[] | undefined },
): Promise<FleetPlan> {
  const type = await getAssetType(ctx, input.assetTypeId);
  const numeric = type.sensors.filter((s) => s.valueType !== "boolean").map((s) => s.key);
  const settingKeys = input.settingKeys ? [...input.settingKeys] : numeric.filter((k) => DEFAULT_SETTING_PATTERN.test(k));
  const unknown = settingKeys.filter((k) => !numeric.includes(k));
  if (unknown.length > 0) throw validation(`Unknown numeric sensor(s) named as settings: ${unknown.join(", ")}.`, { field: "settingKeys" });
  const sensorKeys = numeric.filter((k) => !settingKeys.includes(k));
  if (sensorKeys.length === 0) throw validation(`Asset type ${type.key} has no numeric sensors to learn from.`, { field: "assetTypeId" });

  let members: { id: string; externalId: string; assetTypeId: string }[];
  if (input.assetIds) {
    members = await requireAssets(ctx, input.assetIds);
    const foreign = members.find((a) => a.assetTypeId !== input.assetTypeId);
    if (foreign) throw validation(`Asset ${foreign.id} is not a ${type.key}.`, { field: "assetIds" });
  } else {
    members = [];
    let after: string | undefined;
    for (;;) {
      const page = await listAssets(ctx, { page: { ...pageRequest(100, undefined), afterKey: after }, assetTypeId: input.assetTypeId });
      members.push(...page.items);
      const last = page.items.at(-1);
      if (!page.hasNextPage || !last) break;
      after = last.id;
    }
  }
  members.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const failures = new Map<string, Date>();
  for (const f of await failuresOf(
    ctx,
    members.map((m) => m.id),
  )) {
    if (!failures.has(f.assetId)) failures.set(f.assetId, f.occurredAt);
  }
  return {
    tenantId: ctx.principal.tenantId,
    assetTypeId: input.assetTypeId,
    measurement: type.key,
    settingKeys,
    sensorKeys,
    assets: members.map((m) => ({ assetId: m.id, externalId: m.externalId, failureAt: failures.get(m.id)?.toISOString() ?? null })),
  };
}
