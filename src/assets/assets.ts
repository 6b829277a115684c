import { and, asc, eq, gt, inArray, isNull, type SQL } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import { checkCountLimit } from "../billing/index.js";
import type { TenantContext } from "../core/context.js";
import { conflict, notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { isUniqueViolation } from "../db/client.js";
import { getAssetType } from "./asset-types.js";
import { assets } from "./schema.js";

export type Asset = Omit<typeof assets.$inferSelect, "tenantId">;

const EXTERNAL_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
/** Deeper trees than this are refused: a hierarchy is site → machine → component, with room to spare. */
export const MAX_DEPTH = 16;

const columns = {
  id: assets.id,
  assetTypeId: assets.assetTypeId,
  parentId: assets.parentId,
  externalId: assets.externalId,
  name: assets.name,
  createdAt: assets.createdAt,
};

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw validation("The name must be 1 to 200 characters long.", { field: "name" });
  return trimmed;
}

export async function getAsset(ctx: TenantContext, id: string): Promise<Asset> {
  const [row] = await ctx.tx
    .select(columns)
    .from(assets)
    .where(and(eq(assets.tenantId, ctx.principal.tenantId), eq(assets.id, id)));
  if (!row) throw notFound("Asset", id);
  return row;
}

/** The ids from `id` up to the root, `id` first. */
async function ancestry(ctx: TenantContext, id: string): Promise<string[]> {
  const chain: string[] = [];
  let current: string | null = id;
  while (current !== null && chain.length <= MAX_DEPTH) {
    chain.push(current);
    current = (await getAsset(ctx, current)).parentId;
  }
  return chain;
}

async function checkParent(ctx: TenantContext, parentId: string, childId?: string): Promise<void> {
  const chain = await ancestry(ctx, parentId);
  if (childId !== undefined && chain.includes(childId))
    throw validation("An asset cannot be placed below itself or its descendants.", { field: "parentId" });
  if (chain.length >= MAX_DEPTH) throw validation(`The asset tree may be at most ${MAX_DEPTH} levels deep.`, { field: "parentId" });
}

export async function createAsset(
  ctx: TenantContext,
  input: { assetTypeId: string; externalId: string; name: string; parentId?: string | null | undefined },
): Promise<Asset> {
  if (!EXTERNAL_ID.test(input.externalId)) {
    throw validation("The external id must be 1 to 128 characters of letters, digits and _ . : - (starting with a letter or digit).", {
      field: "externalId",
    });
  }
  const name = checkName(input.name);
  await getAssetType(ctx, input.assetTypeId);
  if (input.parentId) await checkParent(ctx, input.parentId);
  await checkCountLimit(ctx, { entitlement: "maxAssets" });
  const id = newId("asset");
  try {
    const [row] = await ctx.tx
      .insert(assets)
      .values({
        tenantId: ctx.principal.tenantId,
        id,
        assetTypeId: input.assetTypeId,
        parentId: input.parentId ?? null,
        externalId: input.externalId,
        name,
      })
      .returning(columns);
    if (!row) throw new Error("Insert returned no asset");
    await recordAudit(ctx, { action: "asset.created", targetType: "asset", targetId: id, data: { externalId: input.externalId } });
    return row;
  } catch (error) {
    if (isUniqueViolation(error, "assets_tenant_external_id_key")) {
      throw conflict(`An asset with external id "${input.externalId}" exists already.`, { field: "externalId" });
    }
    throw error;
  }
}

/** Renames or moves an asset. The external id is fixed: telemetry is stored under it. */
export async function updateAsset(
  ctx: TenantContext,
  input: { id: string; name?: string | null | undefined; parentId?: string | null | undefined; moveToRoot?: boolean | null | undefined },
): Promise<Asset> {
  const current = await getAsset(ctx, input.id);
  const changes: { name?: string; parentId?: string | null } = {};
  if (input.name !== undefined && input.name !== null) changes.name = checkName(input.name);
  if (input.moveToRoot && input.parentId) throw validation('Give either "parentId" or "moveToRoot", not both.', { field: "parentId" });
  if (input.moveToRoot) changes.parentId = null;
  if (input.parentId) {
    await checkParent(ctx, input.parentId, input.id);
    changes.parentId = input.parentId;
  }
  if (Object.keys(changes).length === 0) return current;
  const [row] = await ctx.tx
    .update(assets)
    .set(changes)
    .where(and(eq(assets.tenantId, ctx.principal.tenantId), eq(assets.id, input.id)))
    .returning(columns);
  if (!row) throw notFound("Asset", input.id);
  await recordAudit(ctx, { action: "asset.updated", targetType: "asset", targetId: row.id, data: changes });
  return row;
}

export async function listAssets(
  ctx: TenantContext,
  input: {
    page: PageRequest;
    parentId?: string | null | undefined;
    rootsOnly?: boolean | null | undefined;
    assetTypeId?: string | null | undefined;
  },
): Promise<Page<Asset>> {
  const filters: SQL[] = [eq(assets.tenantId, ctx.principal.tenantId)];
  if (input.parentId) filters.push(eq(assets.parentId, input.parentId));
  if (input.rootsOnly) filters.push(isNull(assets.parentId));
  if (input.assetTypeId) filters.push(eq(assets.assetTypeId, input.assetTypeId));
  if (input.page.afterKey) filters.push(gt(assets.id, input.page.afterKey));
  const rows = await ctx.tx
    .select(columns)
    .from(assets)
    .where(and(...filters))
    .orderBy(asc(assets.id))
    .limit(input.page.first + 1);
  return toPage(rows, input.page, (r) => r.id);
}

/** The assets of these ids that exist in the tenant; NOT_FOUND names the first that does not. */
export async function requireAssets(ctx: TenantContext, ids: readonly string[]): Promise<Asset[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await ctx.tx
    .select(columns)
    .from(assets)
    .where(and(eq(assets.tenantId, ctx.principal.tenantId), inArray(assets.id, unique)));
  const missing = unique.find((id) => !rows.some((r) => r.id === id));
  if (missing) throw notFound("Asset", missing);
  return rows;
}
