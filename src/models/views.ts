import { getAssetType } from "../assets/index.js";
import type { TenantContext } from "../core/context.js";
import { aliasVersionId } from "./aliases.js";
import { getModel, listModels, type Model } from "./models.js";
import type { ModelTask } from "./schema.js";
import { getVersion, type ModelVersion } from "./versions.js";

export interface ModelView extends Model {
  readonly champion: ModelVersion | null;
  readonly challenger: ModelVersion | null;
}

async function withAliases(ctx: TenantContext, model: Model): Promise<ModelView> {
  const championId = await aliasVersionId(ctx, model.id, "champion");
  const challengerId = await aliasVersionId(ctx, model.id, "challenger");
  return {
    ...model,
    champion: championId ? await getVersion(ctx, championId) : null,
    challenger: challengerId ? await getVersion(ctx, challengerId) : null,
  };
}

export async function modelView(ctx: TenantContext, id: string): Promise<ModelView> {
  return withAliases(ctx, await getModel(ctx, id));
}

export async function modelViews(
  ctx: TenantContext,
  input: { assetTypeId?: string | null | undefined; task?: ModelTask | null | undefined },
): Promise<ModelView[]> {
  if (input.assetTypeId) await getAssetType(ctx, input.assetTypeId);
  const out: ModelView[] = [];
  for (const model of await listModels(ctx, input)) out.push(await withAliases(ctx, model));
  return out;
}
