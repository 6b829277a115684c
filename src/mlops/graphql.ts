import { Arg, Args, Ctx, Float, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import { type RequestContext, tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import { ModelTaskValue } from "../models/graphql.js";
import type { MlopsServices } from "./deps.js";
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
import { assetHealth, fleetHealth, predictAssetRul, predictionHistory } from "./health.js";
import {
  cancelTraining,
  runView,
  scoringRun,
  startDeliveries,
  startDriftCheck,
  startScoring,
  startTraining,
  trainingRunView,
} from "./launch.js";
import { listRuns } from "./runs.js";
import { getModelSchedule, setModelSchedule } from "./schedules.js";

type Rc = RequestContext<MlopsServices>;

@Resolver()
export class MlopsResolver {
  @Mutation(() => TrainingRun, { description: "Starts training a model of an asset type on the tenant's telemetry and failures." })
  trainModel(@Ctx() rc: Rc, @Arg("input") input: TrainModelInput): Promise<TrainingRun> {
    return tenantCall(rc, "models:write", (ctx) => startTraining(ctx, input));
  }

  @Mutation(() => TrainingRun, { description: "Stops a running training; it registers nothing." })
  cancelTrainingRun(@Ctx() rc: Rc, @Arg("id", () => ID) id: string): Promise<TrainingRun> {
    return tenantCall(rc, "models:write", (ctx) => cancelTraining(ctx, id));
  }

  @Query(() => TrainingRun)
  trainingRun(@Ctx() rc: Rc, @Arg("id", () => ID) id: string): Promise<TrainingRun> {
    return tenantCall(rc, "models:read", (ctx) => trainingRunView(ctx, id));
  }

  @Query(() => TrainingRunConnection, { description: "Newest first." })
  async trainingRuns(@Ctx() rc: Rc, @Args() page: PageArgs, @Arg("assetTypeId", () => ID, { nullable: true }) assetTypeId?: string) {
    const request = pageRequest(page.first, page.after);
    const result = await tenantCall(rc, "models:read", async (ctx) => listRuns(ctx, { page: request, assetTypeId }));
    return toConnection(result, (run) => runView(run));
  }

  @Mutation(() => ID, { description: "Scores every asset of a type with its champion, in the background; returns the run's id." })
  scoreFleet(@Ctx() rc: Rc, @Arg("assetTypeId", () => ID) assetTypeId: string): Promise<string> {
    return tenantCall(rc, "models:write", (ctx) => startScoring(ctx, { assetTypeId }));
  }

  @Mutation(() => Prediction, {
    description: "Remaining life of an asset now, from its type's champion; stored and billed as one prediction.",
  })
  async predictRul(@Ctx() rc: Rc, @Arg("assetId", () => ID) assetId: string): Promise<Prediction> {
    const { score, alertIds } = await tenantCall(rc, "models:read", (ctx) => predictAssetRul(ctx, { assetId }));
    // The deliveries start once the prediction's transaction committed: their workflows read the alerts.
    if (alertIds.length > 0) await startDeliveries(rc.services, rc.principal, alertIds);
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
  assetHealth(@Ctx() rc: Rc, @Arg("assetId", () => ID) assetId: string): Promise<AssetHealth> {
    return tenantCall(rc, "models:read", (ctx) => assetHealth(ctx, assetId));
  }

  @Query(() => PredictionConnection, { description: "An asset's stored predictions, newest first; from/to: those made in that range." })
  async predictions(
    @Ctx() rc: Rc,
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
  setModelSchedule(@Ctx() rc: Rc, @Arg("input") input: ModelScheduleInput): Promise<ModelSchedule> {
    return tenantCall(rc, "models:write", (ctx) =>
      setModelSchedule(ctx, {
        assetTypeId: input.assetTypeId,
        retrainEveryHours: input.retrainEveryHours ?? null,
        driftCheckEveryHours: input.driftCheckEveryHours ?? null,
        driftThreshold: input.driftThreshold ?? DEFAULT_DRIFT_THRESHOLD,
      }),
    );
  }

  @Query(() => ModelSchedule)
  modelSchedule(@Ctx() rc: Rc, @Arg("assetTypeId", () => ID) assetTypeId: string): Promise<ModelSchedule> {
    return tenantCall(rc, "models:read", (ctx) => getModelSchedule(ctx, assetTypeId));
  }

  @Mutation(() => ID, { description: "Checks recent telemetry for drift now, in the background; returns the check's id." })
  checkDrift(
    @Ctx() rc: Rc,
    @Arg("assetTypeId", () => ID) assetTypeId: string,
    @Arg("windowHours", () => Int, { nullable: true }) windowHours?: number,
    @Arg("threshold", () => Float, { nullable: true }) threshold?: number,
  ): Promise<string> {
    return tenantCall(rc, "models:write", (ctx) => startDriftCheck(ctx, { assetTypeId, windowHours, threshold }));
  }

  @Query(() => DriftCheckConnection, { description: "Newest first." })
  async driftChecks(@Ctx() rc: Rc, @Arg("assetTypeId", () => ID) assetTypeId: string, @Args() page: PageArgs) {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "models:read", async (ctx) => toConnection(await listDriftChecks(ctx, { assetTypeId, page: request })));
  }

  @Query(() => ScoringRun)
  scoringRun(@Ctx() rc: Rc, @Arg("id", () => ID) id: string): Promise<ScoringRun> {
    return tenantCall(rc, "models:read", (ctx) => scoringRun(ctx, id));
  }

  @Query(() => AssetRiskConnection, { description: "The assets of a type by their latest remaining-life prediction, lowest first." })
  async fleetHealth(@Ctx() rc: Rc, @Arg("assetTypeId", () => ID) assetTypeId: string, @Args() page: PageArgs) {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "models:read", async (ctx) => toConnection(await fleetHealth(ctx, { assetTypeId, page: request })));
  }
}
