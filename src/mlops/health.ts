import { and, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import { assetsOfType, getAsset } from "../assets/index.js";
import type { TenantContext } from "../core/context.js";
import { conflict, validation } from "../core/errors.js";
import { type Page, type PageRequest, toPage } from "../core/pagination.js";
import { championOf, type ModelTask } from "../models/index.js";
import type { MlopsDeps } from "./deps.js";
import { planFleet } from "./fleet.js";
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
 *
 * The telemetry is read inside the request's transaction: a request runs its verb in the one
 * transaction its call runner opens, and the billing check, the champion the score is made with
 * and the stored, billed prediction must be one atomic step (a champion promoted or a quota used
 * up meanwhile must not be billed against). It is one asset's latest rows: a short read.
 */
export async function predictAssetRul(
  ctx: TenantContext<Pick<MlopsDeps, "store" | "models" | "writeGate">>,
  input: { assetId: string },
): Promise<{ score: RulScore; alertIds: string[] }> {
  await ctx.deps.writeGate(ctx);
  const asset = await getAsset(ctx, input.assetId);
  const champion = await championOf(ctx, { assetTypeId: asset.assetTypeId, task: "rul" });
  if (!champion) throw conflict("This asset's type has no champion model yet: train one first.", { assetTypeId: asset.assetTypeId });
  const settingKeys = Array.isArray(champion.params.settingKeys) ? champion.params.settingKeys.map(String) : undefined;
  const plan = await planFleet(ctx, { assetTypeId: asset.assetTypeId, assetIds: [asset.id], settingKeys });
  const predictionKey = `online:${ctx.requestId}:${asset.id}`;
  const { scores, alertIds } = await scoreRul(ctx, { plan, version: champion, source: "online", usageKey: predictionKey });
  const [score] = scores;
  if (!score) throw conflict("This asset has no telemetry with every sensor yet: nothing to predict from.", { assetId: asset.id });
  return { score, alertIds };
}

/** The latest stored prediction of an asset per task (remaining life, anomaly). */
export async function assetHealth(
  ctx: TenantContext,
  assetId: string,
): Promise<{ assetId: string; rul: StoredPrediction | null; anomaly: StoredPrediction | null }> {
  await getAsset(ctx, assetId);
  const latest = async (task: ModelTask): Promise<StoredPrediction | null> => {
    const [row] = await ctx.tx
      .select(columns)
      .from(assetPredictions)
      .where(
        and(eq(assetPredictions.tenantId, ctx.principal.tenantId), eq(assetPredictions.assetId, assetId), eq(assetPredictions.task, task)),
      )
      .orderBy(desc(assetPredictions.id))
      .limit(1);
    return row ?? null;
  };
  const rul = await latest("rul");
  const anomaly = await latest("anomaly");
  return { assetId, rul, anomaly };
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
  const members = await assetsOfType(ctx, { assetTypeId: input.assetTypeId });
  let after: { rul: number; assetId: string } | undefined;
  if (input.page.afterKey) {
    const [rul, assetId] = input.page.afterKey.split("|");
    if (!assetId || !Number.isFinite(Number(rul))) throw validation('"after" is not a cursor returned by this API.', { field: "after" });
    after = { rul: Number(rul), assetId };
  }
  if (members.length === 0) return toPage([], input.page, (r: AssetRisk) => r.assetId);
  const externalIds = new Map(members.map((m) => [m.id, m.externalId]));
  const tenantId = ctx.principal.tenantId;
  const ids = sql.join(
    members.map((m) => sql`${m.id}`),
    sql`, `,
  );
  const rows = await ctx.tx.execute<{ asset_id: string; id: string }>(sql`
    select latest.asset_id, latest.id
    from (
      select distinct on (p.asset_id) p.asset_id, p.id, p.rul
      from ${assetPredictions} p
      where p.tenant_id = ${tenantId} and p.task = 'rul' and p.asset_id in (${ids})
      order by p.asset_id, p.id desc
    ) latest
    where true
      ${after ? sql`and (latest.rul, latest.asset_id) > (${after.rul}::float8, ${after.assetId})` : sql``}
    order by latest.rul, latest.asset_id
    limit ${input.page.first + 1}`);
  const predictionIds = rows.map((r) => r.id);
  const predictions =
    predictionIds.length === 0
      ? []
      : await ctx.tx
          .select(columns)
          .from(assetPredictions)
          .where(and(eq(assetPredictions.tenantId, tenantId), inArray(assetPredictions.id, predictionIds)));
  const byId = new Map(predictions.map((p) => [p.id, p]));
  const items = rows.flatMap((r) => {
    const prediction = byId.get(r.id);
    return prediction ? [{ assetId: r.asset_id, externalId: externalIds.get(r.asset_id) ?? "", prediction }] : [];
  });
  return toPage(items, input.page, (r) => `${r.prediction.rul ?? 0}|${r.assetId}`);
}
