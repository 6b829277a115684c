import type { TenantContext } from "../core/context.js";
import { promoteVersion, rollbackChampion } from "./aliases.js";
import type { ModelsDeps } from "./deps.js";
import { type ModelView, modelView } from "./views.js";

/** Makes a version its model's champion (audited); answers the model as it is now. */
export async function promoteToChampion(ctx: TenantContext<ModelsDeps>, input: { versionId: string; reason: string }): Promise<ModelView> {
  const version = await promoteVersion(ctx, input);
  return modelView(ctx, version.modelId);
}

/** Restores the champion the current one replaced (audited); answers the model as it is now. */
export async function rollBackToPrevious(ctx: TenantContext<ModelsDeps>, input: { modelId: string; reason: string }): Promise<ModelView> {
  await rollbackChampion(ctx, input);
  return modelView(ctx, input.modelId);
}
