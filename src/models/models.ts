import { and, asc, eq, type SQL } from "drizzle-orm";
import { getAssetType } from "../assets/index.js";
import { checkCountLimit } from "../billing/index.js";
import type { TenantContext } from "../core/context.js";
import { notFound } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { type ModelTask, models } from "./schema.js";

export type Model = Omit<typeof models.$inferSelect, "tenantId">;

const columns = { id: models.id, assetTypeId: models.assetTypeId, task: models.task, createdAt: models.createdAt };

/** The model of an asset type and task, created on first use (within the plan's number of models). */
export async function ensureModel(ctx: TenantContext, input: { assetTypeId: string; task: ModelTask }): Promise<Model> {
  await getAssetType(ctx, input.assetTypeId);
  const tenantId = ctx.principal.tenantId;
  const existing = await findModel(ctx, input);
  if (existing) return existing;
  await checkCountLimit(ctx, { entitlement: "maxModels" });
  await ctx.tx
    .insert(models)
    .values({ tenantId, id: newId("model"), assetTypeId: input.assetTypeId, task: input.task })
    .onConflictDoNothing({ target: [models.tenantId, models.assetTypeId, models.task] });
  const [row] = await ctx.tx
    .select(columns)
    .from(models)
    .where(and(eq(models.tenantId, tenantId), eq(models.assetTypeId, input.assetTypeId), eq(models.task, input.task)));
  if (!row) throw new Error("The model row is missing right after it was ensured");
  return row;
}

export async function getModel(ctx: TenantContext, id: string): Promise<Model> {
  const [row] = await ctx.tx
    .select(columns)
    .from(models)
    .where(and(eq(models.tenantId, ctx.principal.tenantId), eq(models.id, id)));
  if (!row) throw notFound("Model", id);
  return row;
}

/** The model of an asset type and task, if one was ever trained. */
export async function findModel(ctx: TenantContext, input: { assetTypeId: string; task: ModelTask }): Promise<Model | undefined> {
  const [row] = await ctx.tx
    .select(columns)
    .from(models)
    .where(and(eq(models.tenantId, ctx.principal.tenantId), eq(models.assetTypeId, input.assetTypeId), eq(models.task, input.task)));
  return row;
}

export async function listModels(
  ctx: TenantContext,
  input: { assetTypeId?: string | null | undefined; task?: ModelTask | null | undefined },
) {
  const filters: SQL[] = [eq(models.tenantId, ctx.principal.tenantId)];
  if (input.assetTypeId) filters.push(eq(models.assetTypeId, input.assetTypeId));
  if (input.task) filters.push(eq(models.task, input.task));
  return ctx.tx
    .select(columns)
    .from(models)
    .where(and(...filters))
    .orderBy(asc(models.id));
}
