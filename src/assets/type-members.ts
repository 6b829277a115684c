import { and, asc, eq } from "drizzle-orm";
import type { TenantContext } from "../core/context.js";
import { getAssetType } from "./asset-types.js";
import { assets } from "./schema.js";

export interface TypeMember {
  readonly id: string;
  readonly externalId: string;
}

/** Every asset of a type (its id and external id), by id; NOT_FOUND for an unknown type. */
export async function assetsOfType(ctx: TenantContext, input: { assetTypeId: string }): Promise<TypeMember[]> {
  await getAssetType(ctx, input.assetTypeId);
  return ctx.tx
    .select({ id: assets.id, externalId: assets.externalId })
    .from(assets)
    .where(and(eq(assets.tenantId, ctx.principal.tenantId), eq(assets.assetTypeId, input.assetTypeId)))
    .orderBy(asc(assets.id));
}
