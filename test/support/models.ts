import { alertRules, alerts, webhookDeliveries, webhooks, webhookTestDeliveries } from "../../src/alerts/schema.js";
import { scopesOfRole } from "../../src/auth/scopes.js";
import { workflowCall } from "../../src/core/calls.js";
import type { TenantContext } from "../../src/core/context.js";
import { newId } from "../../src/core/ids.js";
import { withTenant } from "../../src/db/client.js";
import { openRun } from "../../src/mlops/runs.js";
import { assetPredictions, driftChecks } from "../../src/mlops/schema.js";
import { storePredictions } from "../../src/mlops/store-predictions.js";
import { ensureModel } from "../../src/models/models.js";
import type { ModelTask } from "../../src/models/schema.js";
import { registerVersion } from "../../src/models/versions.js";
import type { Api, TestTenant } from "./harness.js";

/** Runs registry verbs as the tenant's owner, as the training activities do in their own process. */
export function asOwner<T>(api: Api, tenant: TestTenant, fn: (ctx: TenantContext) => Promise<T>): Promise<T> {
  return withTenant(api.services.db.db, { tenantId: tenant.tenantId, userId: tenant.ownerId }, (tx) =>
    fn({
      principal: { kind: "member", tenantId: tenant.tenantId, userId: tenant.ownerId, role: "owner", scopes: scopesOfRole("owner") },
      tx,
      requestId: "req_test",
      deps: {},
    }),
  );
}

/** Registers a version of the asset type's model with the given holdout RMSE and artifact bytes. */
export async function registerTestVersion(
  api: Api,
  tenant: TestTenant,
  input: { assetTypeId: string; runId: string; rmse: number; task?: ModelTask; artifact?: string },
) {
  return asOwner(api, tenant, async (ctx) => {
    const model = await ensureModel(ctx, { assetTypeId: input.assetTypeId, task: input.task ?? "rul" });
    const { version, created } = await registerVersion(ctx, {
      modelId: model.id,
      runId: input.runId,
      params: { window: 30 },
      metrics: { holdout: { rmse: input.rmse } },
      lineage: { assets: 2, points: 1000 },
      featureConfigHash: "f".repeat(64),
      codeVersion: "test",
      artifact: { content: Buffer.from(input.artifact ?? `model of ${input.runId}`), mediaType: "application/json" },
    });
    return { model, version, created };
  });
}

/** A training run, a stored prediction and a drift check of the tenant, written as the workflows would. */
export async function seedMlopsRows(api: Api, tenant: TestTenant, input: { assetTypeId: string; assetId: string; versionId: string }) {
  const runId = newId("trainingRun");
  const predictionId = newId("prediction");
  const checkId = newId("driftCheck");
  await asOwner(api, tenant, async (ctx) => {
    await openRun(ctx, {
      runId,
      assetTypeId: input.assetTypeId,
      task: "rul",
      trigger: "manual",
      reason: "seeded",
      requestedBy: `user:${tenant.ownerId}`,
    });
    await ctx.tx.insert(assetPredictions).values({
      tenantId: tenant.tenantId,
      id: predictionId,
      assetId: input.assetId,
      task: "rul",
      modelVersionId: input.versionId,
      dataTime: new Date(),
      rul: 42,
      rulLow: 30,
      rulHigh: 50,
      source: "online",
    });
    await ctx.tx.insert(driftChecks).values({
      tenantId: tenant.tenantId,
      id: checkId,
      assetTypeId: input.assetTypeId,
      modelVersionId: input.versionId,
      threshold: 0.25,
      windowHours: 24,
      psi: { s1: 0.01 },
      drifted: [],
      recentValues: 10,
    });
  });
  return { runId, predictionId, checkId };
}

/** An open alert of the tenant on one of its assets, as a scoring run would raise it. */
export async function seedAlert(api: Api, tenant: TestTenant, input: { assetId: string; predictionId: string }): Promise<string> {
  const id = newId("alert");
  await asOwner(api, tenant, (ctx) =>
    ctx.tx.insert(alerts).values({
      tenantId: tenant.tenantId,
      id,
      assetId: input.assetId,
      kind: "rul_low",
      value: 12,
      threshold: 30,
      predictionId: input.predictionId,
      explanation: { summary: "seeded" },
    }),
  );
  return id;
}

/** Rows of every alerting table for the tenant: a rule, a webhook, an alert and its delivery, a test event. */
export async function seedAlertRows(api: Api, tenant: TestTenant, input: { assetTypeId: string; assetId: string; predictionId: string }) {
  const alertId = await seedAlert(api, tenant, input);
  const webhookId = newId("webhook");
  await asOwner(api, tenant, async (ctx) => {
    await ctx.tx.insert(alertRules).values({ tenantId: tenant.tenantId, assetTypeId: input.assetTypeId, rulBelow: 30 });
    await ctx.tx
      .insert(webhooks)
      .values({ tenantId: tenant.tenantId, id: webhookId, url: "https://example.test/hook", secretSealed: "sealed" });
    await ctx.tx.insert(webhookDeliveries).values({ tenantId: tenant.tenantId, webhookId, alertId });
    await ctx.tx.insert(webhookTestDeliveries).values({
      tenantId: tenant.tenantId,
      id: newId("webhookTest"),
      webhookId,
      outcome: "DELIVERED",
      statusCode: 204,
      sentBy: tenant.ownerId,
    });
  });
  return { alertId, webhookId };
}

/** A stored prediction as the scoring writes it, made at `createdAt`. */
export interface SeededPrediction {
  readonly assetId: string;
  readonly task: ModelTask;
  readonly modelVersionId: string;
  readonly createdAt: Date;
  readonly rul?: number;
  readonly rulLow?: number;
  readonly rulHigh?: number;
  readonly anomalyScore?: number;
  readonly anomalyThreshold?: number;
  readonly topSensors?: readonly { sensor: string; share: number }[];
}

/** Stores predictions through the scoring's own path (billed as one batch), each with its own creation time. */
export async function seedPredictions(api: Api, tenant: TestTenant, rows: readonly SeededPrediction[]): Promise<string[]> {
  // Ids sort by creation time, as they would had each been made at its time.
  const ids = rows.map((r) => newId("prediction", r.createdAt.getTime()));
  await workflowCall(api.services, { tenantId: tenant.tenantId, workflowId: "wf_seeded_scoring" }, (ctx) =>
    storePredictions(ctx, {
      source: "seeded",
      usageKey: `seeded:${ids[0] ?? ""}`,
      rows: rows.map((r, i) => ({
        id: ids[i] ?? "",
        assetId: r.assetId,
        task: r.task,
        modelVersionId: r.modelVersionId,
        dataTime: r.createdAt,
        createdAt: r.createdAt,
        rul: r.rul ?? null,
        rulLow: r.rulLow ?? null,
        rulHigh: r.rulHigh ?? null,
        anomalyScore: r.anomalyScore ?? null,
        anomalyThreshold: r.anomalyThreshold ?? null,
        explanation: r.topSensors ? { alarm: true, topSensors: r.topSensors } : null,
      })),
    }),
  );
  return ids;
}
