import { and, desc, eq } from "drizzle-orm";
import { recordAudit } from "../audit/index.js";
import { actorOf, type TenantContext } from "../core/context.js";
import { conflict, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import type { ModelsDeps } from "./deps.js";
import { findModel, getModel } from "./models.js";
import { type ModelAlias, type ModelTask, modelAliases, modelAliasHistory, models, modelVersions } from "./schema.js";
import { getVersion, type ModelVersion, versionColumns } from "./versions.js";

export type AliasAction = "promote" | "rollback" | "assign";

function checkReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < 1 || trimmed.length > 500) throw validation("Give a reason of 1 to 500 characters.", { field: "reason" });
  return trimmed;
}

async function lockModel(ctx: TenantContext, modelId: string): Promise<void> {
  await ctx.tx
    .select({ id: models.id })
    .from(models)
    .where(and(eq(models.tenantId, ctx.principal.tenantId), eq(models.id, modelId)))
    .for("update");
}

export async function aliasVersionId(ctx: TenantContext, modelId: string, alias: ModelAlias): Promise<string | undefined> {
  const [row] = await ctx.tx
    .select({ versionId: modelAliases.versionId })
    .from(modelAliases)
    .where(and(eq(modelAliases.tenantId, ctx.principal.tenantId), eq(modelAliases.modelId, modelId), eq(modelAliases.alias, alias)));
  return row?.versionId;
}

/** Points an alias at a version, with history and an audit entry, in the caller's transaction. */
async function setAlias(
  ctx: TenantContext<ModelsDeps>,
  input: { modelId: string; alias: ModelAlias; versionId: string; action: AliasAction; reason: string; previous: string | undefined },
): Promise<void> {
  const tenantId = ctx.principal.tenantId;
  const actor = actorOf(ctx.principal);
  const now = ctx.deps.clock.now();
  await ctx.tx
    .insert(modelAliases)
    .values({ tenantId, modelId: input.modelId, alias: input.alias, versionId: input.versionId, updatedAt: now })
    .onConflictDoUpdate({
      target: [modelAliases.tenantId, modelAliases.modelId, modelAliases.alias],
      set: { versionId: input.versionId, updatedAt: now },
    });
  await ctx.tx.insert(modelAliasHistory).values({
    tenantId,
    id: newId("modelAliasChange"),
    modelId: input.modelId,
    alias: input.alias,
    action: input.action,
    versionId: input.versionId,
    previousVersionId: input.previous ?? null,
    reason: input.reason,
    actor: `${actor.kind}:${actor.id}`,
  });
  await recordAudit(ctx, {
    action: `model.${input.action}`,
    targetType: "model",
    targetId: input.modelId,
    data: { alias: input.alias, versionId: input.versionId, previousVersionId: input.previous ?? null, reason: input.reason },
  });
}

/** Makes a version its model's champion (or challenger); the former one is kept for rollback. */
export async function promoteVersion(
  ctx: TenantContext<ModelsDeps>,
  input: { versionId: string; reason: string; alias?: ModelAlias },
): Promise<ModelVersion> {
  const reason = checkReason(input.reason);
  const version = await getVersion(ctx, input.versionId);
  await lockModel(ctx, version.modelId);
  const alias = input.alias ?? "champion";
  const previous = await aliasVersionId(ctx, version.modelId, alias);
  if (previous === version.id) return version;
  await setAlias(ctx, {
    modelId: version.modelId,
    alias,
    versionId: version.id,
    action: alias === "champion" ? "promote" : "assign",
    reason,
    previous,
  });
  return version;
}

/**
 * Restores the champion that the current one replaced: the version before the promotion that made
 * the current champion. Repeated rollbacks walk further back.
 */
export async function rollbackChampion(ctx: TenantContext<ModelsDeps>, input: { modelId: string; reason: string }): Promise<ModelVersion> {
  const reason = checkReason(input.reason);
  await getModel(ctx, input.modelId);
  await lockModel(ctx, input.modelId);
  const current = await aliasVersionId(ctx, input.modelId, "champion");
  if (!current) throw conflict("This model has no champion to roll back.", { modelId: input.modelId });
  const [promotion] = await ctx.tx
    .select({ previous: modelAliasHistory.previousVersionId })
    .from(modelAliasHistory)
    .where(
      and(
        eq(modelAliasHistory.tenantId, ctx.principal.tenantId),
        eq(modelAliasHistory.modelId, input.modelId),
        eq(modelAliasHistory.alias, "champion"),
        eq(modelAliasHistory.action, "promote"),
        eq(modelAliasHistory.versionId, current),
      ),
    )
    .orderBy(desc(modelAliasHistory.id))
    .limit(1);
  const target = promotion?.previous;
  if (!target) throw conflict("The current champion was the first one: there is nothing to roll back to.", { modelId: input.modelId });
  await setAlias(ctx, { modelId: input.modelId, alias: "champion", versionId: target, action: "rollback", reason, previous: current });
  return getVersion(ctx, target);
}

/** The champion of an asset type's model for a task, if there is one. */
export async function championOf(ctx: TenantContext, input: { assetTypeId: string; task: ModelTask }): Promise<ModelVersion | undefined> {
  const model = await findModel(ctx, input);
  if (!model) return undefined;
  const [row] = await ctx.tx
    .select(versionColumns)
    .from(modelAliases)
    .innerJoin(modelVersions, and(eq(modelVersions.tenantId, modelAliases.tenantId), eq(modelVersions.id, modelAliases.versionId)))
    .where(and(eq(modelAliases.tenantId, ctx.principal.tenantId), eq(modelAliases.modelId, model.id), eq(modelAliases.alias, "champion")));
  return row;
}
