import { Arg, Args, Ctx, Float, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../api/services.js";
import { tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import { ModelTaskValue } from "../models/graphql-types.js";
import { DEFAULT_DRIFT_THRESHOLD, listDriftChecks } from "./drift-check.js";
import {
  AssetHealth,
  AssetRiskConnection,
  DriftCheckConnection,
  ModelSchedule,
  ModelScheduleInput,
  Prediction,
  PredictionConnection,
  ScoringRun,
  TrainingRun,
  TrainingRunConnection,
  TrainModelInput,
} from "./graphql-types.js";
import { fleetHealth, latestPredictions, predictAssetRul, predictionHistory } from "./health.js";
import { cancelTraining, scoringRun, startDeliveries, startDriftCheck, startScoring, startTraining, trainingProgress } from "./launch.js";
import { getRun, listRuns, type TrainingRun as Run } from "./runs.js";
import { getModelSchedule, setModelSchedule } from "./schedules.js";

async function withProgress(rc: RequestContext, run: Run): Promise<TrainingRun> {
  const progress = run.status === "running" ? await trainingProgress(await rc.services.workflows(), run) : null;
  return { ...run, promoted: run.promoted === null ? null : run.promoted === 1, progress };
}

@Resolver()
export class MlopsResolver {
  @Mutation(() => TrainingRun, { description: "Starts training a model of an asset type on the tenant's telemetry and failures." })
  async trainModel(@Ctx() rc: RequestContext, @Arg("input") input: TrainModelInput): Promise<TrainingRun> {
    const run = await tenantCall(rc, "models:write", (ctx) => startTraining(ctx, rc.services.workflows, input));
    return withProgress(rc, run);
  }

  @Mutation(() => TrainingRun, { description: "Stops a running training; it registers nothing." })
  async cancelTrainingRun(@Ctx() rc: RequestContext, @Arg("id", () => ID) id: string): Promise<TrainingRun> {
    const run = await tenantCall(rc, "models:write", (ctx) => cancelTraining(ctx, rc.services.workflows, id));
    return withProgress(rc, run);
  }

  @Query(() => TrainingRun)
  async trainingRun(@Ctx() rc: RequestContext, @Arg("id", () => ID) id: string): Promise<TrainingRun> {
    return withProgress(rc, await tenantCall(rc, "models:read", (ctx) => getRun(ctx, id)));
  }

  @Query(() => TrainingRunConnection, { description: "Newest first." })
  async trainingRuns(
    @Ctx() rc: RequestContext,
    @Args() page: PageArgs,
    @Arg("assetTypeId", () => ID, { nullable: true }) assetTypeId?: string,
  ) {
    const request = pageRequest(page.first, page.after);
    const result = await tenantCall(rc, "models:read", async (ctx) => listRuns(ctx, { page: request, assetTypeId }));
    return toConnection(result, (run) => ({ ...run, promoted: run.promoted === null ? null : run.promoted === 1, progress: null }));
  }

  @Mutation(() => ID, { description: "Scores every asset of a type with its champion, in the background; returns the run's id." })
  async scoreFleet(@Ctx() rc: RequestContext, @Arg("assetTypeId", () => ID) assetTypeId: string): Promise<string> {
    return tenantCall(rc, "models:write", (ctx) => startScoring(ctx, rc.services.workflows, { assetTypeId }));
  }

  @Mutation(() => Prediction, {
    description: "Remaining life of an asset now, from its type's champion; stored and billed as one prediction.",
  })
  async predictRul(@Ctx() rc: RequestContext, @Arg("assetId", () => ID) assetId: string): Promise<Prediction> {
    const { score, alertIds } = await tenantCall(rc, "models:read", (ctx) =>
      predictAssetRul(
        ctx,
        { store: rc.services.store, models: rc.services.models, billingGraceDays: rc.services.config.BILLING_GRACE_DAYS },
        { assetId },
      ),
    );
    if (alertIds.length > 0) await startDeliveries(await rc.services.workflows(), rc.principal, alertIds);
    return {
      id: score.predictionId,
      assetId: score.assetId,
      task: "rul",
      modelVersionId: score.modelVersionId,
      dataTime: score.dataTime,
      rul: score.rul,
      rulLow: score.low,
      rulHigh: score.high,
      anomalyScore: null,
      anomalyThreshold: null,
      explanation: null,
      source: "online",
      createdAt: new Date(),
    };
  }

  @Query(() => AssetHealth, { description: "The asset's latest stored predictions." })
  async assetHealth(@Ctx() rc: RequestContext, @Arg("assetId", () => ID) assetId: string): Promise<AssetHealth> {
    const latest = await tenantCall(rc, "models:read", (ctx) => latestPredictions(ctx, assetId));
    return { assetId, rul: latest.find((p) => p.task === "rul") ?? null, anomaly: latest.find((p) => p.task === "anomaly") ?? null };
  }

  @Query(() => PredictionConnection, { description: "An asset's stored predictions, newest first; from/to: those made in that range." })
  async predictions(
    @Ctx() rc: RequestContext,
    @Arg("assetId", () => ID) assetId: string,
    @Args() page: PageArgs,
    @Arg("task", () => ModelTaskValue, { nullable: true }) task?: ModelTaskValue,
    @Arg("from", () => Date, { nullable: true, description: "Made at or after this time." }) from?: Date,
    @Arg("to", () => Date, { nullable: true, description: "Made before this time." }) to?: Date,
  ): Promise<ConnectionShape<Prediction>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "models:read", async (ctx) =>
      toConnection(await predictionHistory(ctx, { assetId, task, from, to, page: request })),
    );
  }

  @Mutation(() => ModelSchedule, { description: "Sets or clears the retraining and drift-check schedules of an asset type. Audited." })
  async setModelSchedule(@Ctx() rc: RequestContext, @Arg("input") input: ModelScheduleInput): Promise<ModelSchedule> {
    return tenantCall(rc, "models:write", (ctx) =>
      setModelSchedule(ctx, rc.services.workflows, {
        assetTypeId: input.assetTypeId,
        retrainEveryHours: input.retrainEveryHours ?? null,
        driftCheckEveryHours: input.driftCheckEveryHours ?? null,
        driftThreshold: input.driftThreshold ?? DEFAULT_DRIFT_THRESHOLD,
      }),
    );
  }

  @Query(() => ModelSchedule)
  async modelSchedule(@Ctx() rc: RequestContext, @Arg("assetTypeId", () => ID) assetTypeId: string): Promise<ModelSchedule> {
    return tenantCall(rc, "models:read", (ctx) => getModelSchedule(ctx, rc.services.workflows, assetTypeId));
  }

  @Mutation(() => ID, { description: "Checks recent telemetry for drift now, in the background; returns the check's id." })
  async checkDrift(
    @Ctx() rc: RequestContext,
    @Arg("assetTypeId", () => ID) assetTypeId: string,
    @Arg("windowHours", () => Int, { nullable: true }) windowHours?: number,
    @Arg("threshold", () => Float, { nullable: true }) threshold?: number,
  ): Promise<string> {
    return tenantCall(rc, "models:write", (ctx) => startDriftCheck(ctx, rc.services.workflows, { assetTypeId, windowHours, threshold }));
  }

  @Query(() => DriftCheckConnection, { description: "Newest first." })
  async driftChecks(@Ctx() rc: RequestContext, @Arg("assetTypeId", () => ID) assetTypeId: string, @Args() page: PageArgs) {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "models:read", async (ctx) => toConnection(await listDriftChecks(ctx, { assetTypeId, page: request })));
  }

  @Query(() => ScoringRun)
  scoringRun(@Ctx() rc: RequestContext, @Arg("id", () => ID) id: string): Promise<ScoringRun> {
    return tenantCall(rc, "models:read", (ctx) => scoringRun(ctx, rc.services.workflows, id));
  }

  @Query(() => AssetRiskConnection, { description: "The assets of a type by their latest remaining-life prediction, lowest first." })
  async fleetHealth(@Ctx() rc: RequestContext, @Arg("assetTypeId", () => ID) assetTypeId: string, @Args() page: PageArgs) {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "models:read", async (ctx) => toConnection(await fleetHealth(ctx, { assetTypeId, page: request })));
  }
}
