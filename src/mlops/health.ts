import { and, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { getAssetType } from "../assets/asset-types.js";
import { getAsset } from "../assets/assets.js";
import { assets } from "../assets/schema.js";
import { assertTenantCanWrite } from "../billing/quotas.js";
import type { TenantContext } from "../core/context.js";
import { conflict, validation } from "../core/errors.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { championOf } from "../models/aliases.js";
import type { ModelTask } from "../models/schema.js";
import type { TelemetryStore } from "../telemetry/index.js";
import { planFleet } from "./fleet.js";
import type { ModelCache } from "./model-cache.js";
import { type RulScore, scoreRul } from "./predict.js";
import { assetPredictions } from "./schema.js";

export type StoredPrediction = Omit<typeof assetPredictions.$inferSelect, "tenantId">;

const columns = {
  id: assetPredictions.id,
  assetId: assetPredictions.assetId,
  task: assetPredictions.task,
  modelVersionId: assetPredictions.modelVersionId,
  dataTime: assetPredictions.dataTime,
  rul: assetPredictions.rul,
  rulLow: assetPredictions.rulLow,
  rulHigh: assetPredictions.rulHigh,
  anomalyScore: assetPredictions.anomalyScore,
  anomalyThreshold: assetPredictions.anomalyThreshold,
  explanation: assetPredictions.explanation,
  source: assetPredictions.source,
  createdAt: assetPredictions.createdAt,
};

/**
 * Remaining life of one asset now: its type's champion on its latest telemetry, stored and billed
 * (one prediction) in the caller's transaction. A stored, billed prediction is a write: a tenant
 * whose billing is read-only gets PAYMENT_REQUIRED, and the plan's predictions per day apply.
 */
export async function predictAssetRul(
  ctx: TenantContext,
  deps: { store: TelemetryStore; models: ModelCache; billingGraceDays: number },
  input: { assetId: string },
): Promise<{ score: RulScore; alertIds: string[] }> {
  await assertTenantCanWrite(ctx.tx, ctx.principal.tenantId, deps.billingGraceDays);
  const asset = await getAsset(ctx, input.assetId);
  const champion = await championOf(ctx, { assetTypeId: asset.assetTypeId, task: "rul" });
  if (!champion) throw conflict("This asset's type has no champion model yet: train one first.", { assetTypeId: asset.assetTypeId });
  const settingKeys = Array.isArray(champion.params.settingKeys) ? champion.params.settingKeys.map(String) : undefined;
  const plan = await planFleet(ctx, { assetTypeId: asset.assetTypeId, assetIds: [asset.id], settingKeys });
  const predictionKey = `online:${ctx.requestId}:${asset.id}`;
  const { scores, alertIds } = await scoreRul(ctx, deps, { plan, version: champion, source: "online", usageKey: predictionKey });
  const [score] = scores;
  if (!score) throw conflict("This asset has no telemetry with every sensor yet: nothing to predict from.", { assetId: asset.id });
  return { score, alertIds };
}

/** The latest stored prediction per task for an asset. */
export async function latestPredictions(ctx: TenantContext, assetId: string): Promise<StoredPrediction[]> {
  await getAsset(ctx, assetId);
  const out: StoredPrediction[] = [];
  for (const task of ["rul", "anomaly"] as const) {
    const [row] = await ctx.tx
      .select(columns)
      .from(assetPredictions)
      .where(
        and(eq(assetPredictions.tenantId, ctx.principal.tenantId), eq(assetPredictions.assetId, assetId), eq(assetPredictions.task, task)),
      )
      .orderBy(desc(assetPredictions.id))
      .limit(1);
    if (row) out.push(row);
  }
  return out;
}

/**
 * An asset's stored predictions, newest first; `from`/`to` keep those made in [from, to) (the
 * remaining-life or anomaly history of a time range).
 */
export async function predictionHistory(
  ctx: TenantContext,
  input: {
    assetId: string;
    task?: ModelTask | null | undefined;
    from?: Date | null | undefined;
    to?: Date | null | undefined;
    page: PageRequest;
  },
): Promise<Page<StoredPrediction>> {
  if (input.from && input.to && input.from.getTime() >= input.to.getTime()) {
    throw validation('"from" must be before "to".', { field: "from" });
  }
  await getAsset(ctx, input.assetId);
  const filters: SQL[] = [eq(assetPredictions.tenantId, ctx.principal.tenantId), eq(assetPredictions.assetId, input.assetId)];
  if (input.task) filters.push(eq(assetPredictions.task, input.task));
  if (input.from) filters.push(gte(assetPredictions.createdAt, input.from));
  if (input.to) filters.push(lt(assetPredictions.createdAt, input.to));
  if (input.page.afterKey) filters.push(lt(assetPredictions.id, input.page.afterKey));
  const rows = await ctx.tx
    .select(columns)
    .from(assetPredictions)
    .where(and(...filters))
    .orderBy(desc(assetPredictions.id))
    .limit(input.page.first + 1);
  return toPage(rows, input.page, (r) => r.id);
}

export interface AssetRisk {
  readonly assetId: string;
  readonly externalId: string;
  readonly prediction: StoredPrediction;
}

/**
 * The assets of a type by their latest remaining-life prediction, lowest first: the ones closest
 * to failure. Assets never scored are left out. The cursor is the last entry's life and asset id.
 */
export async function fleetHealth(ctx: TenantContext, input: { assetTypeId: string; page: PageRequest }): Promise<Page<AssetRisk>> {
  await getAssetType(ctx, input.assetTypeId);
  let after: { rul: number; assetId: string } | undefined;
  if (input.page.afterKey) {
    const [rul, assetId] = input.page.afterKey.split("|");
    if (!assetId || !Number.isFinite(Number(rul))) throw validation('"after" is not a cursor returned by this API.', { field: "after" });
    after = { rul: Number(rul), assetId };
  }
  const tenantId = ctx.principal.tenantId;
  const rows = await ctx.tx.execute<{ asset_id: string; external_id: string; id: string }>(sql`
    select latest.asset_id, a.external_id, latest.id
    from (
      select distinct on (p.asset_id) p.asset_id, p.id, p.rul
      from ${assetPredictions} p
      where p.tenant_id = ${tenantId} and p.task = 'rul'
      order by p.asset_id, p.id desc
    ) latest
    join ${assets} a on a.tenant_id = ${tenantId} and a.id = latest.asset_id
    where a.asset_type_id = ${input.assetTypeId}
      ${after ? sql`and (latest.rul, latest.asset_id) > (${after.rul}::float8, ${after.assetId})` : sql``}
    order by latest.rul, latest.asset_id
    limit ${input.page.first + 1}`);
  const ids = rows.map((r) => r.id);
  const predictions =
    ids.length === 0
      ? []
      : await ctx.tx
          .select(columns)
          .from(assetPredictions)
          .where(and(eq(assetPredictions.tenantId, tenantId), inArray(assetPredictions.id, ids)));
  const byId = new Map(predictions.map((p) => [p.id, p]));
  const items = rows.flatMap((r) => {
    const prediction = byId.get(r.id);
    return prediction ? [{ assetId: r.asset_id, externalId: r.external_id, prediction }] : [];
  });
  return toPage(items, input.page, (r) => `${r.prediction.rul ?? 0}|${r.assetId}`);
}
