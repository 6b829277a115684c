import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../core/connection.js";
import { ModelTaskValue } from "../models/graphql.js";

export enum TrainingStatusValue {
  RUNNING = "running",
  SUCCEEDED = "succeeded",
  FAILED = "failed",
  CANCELLED = "cancelled",
}
registerEnumType(TrainingStatusValue, { name: "TrainingStatus" });

export enum TrainingTriggerValue {
  MANUAL = "manual",
  SCHEDULE = "schedule",
  DRIFT = "drift",
}
registerEnumType(TrainingTriggerValue, { name: "TrainingTrigger" });

@ObjectType({ description: "Where a running training is." })
export class TrainingProgress {
  @Field({ description: "planning, fitting, registering, done, failed or cancelled." })
  stage!: string;

  @Field(() => Int)
  percent!: number;
}

@ObjectType({ description: "One training of a model: who asked and why, how far it is, what came of it." })
export class TrainingRun {
  @Field(() => ID, { description: "Also the workflow's id." })
  id!: string;

  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => ModelTaskValue)
  task!: string;

  @Field(() => TrainingTriggerValue)
  trigger!: string;

  @Field()
  reason!: string;

  @Field()
  requestedBy!: string;

  @Field(() => TrainingStatusValue)
  status!: string;

  @Field(() => ID, { nullable: true, description: "The version registered, once succeeded." })
  versionId!: string | null;

  @Field(() => Boolean, { nullable: true, description: "Whether the version became champion." })
  promoted!: boolean | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => TrainingProgress, { nullable: true, description: "While running." })
  progress!: TrainingProgress | null;

  @Field()
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

export const TrainingRunConnection = Connection(TrainingRun, "TrainingRun");

@InputType()
export class TrainModelInput {
  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => ModelTaskValue, { defaultValue: ModelTaskValue.RUL })
  task!: ModelTaskValue;

  @Field({ description: "Why (kept with the run and in the audit log)." })
  reason!: string;

  @Field(() => Float, { nullable: true, description: "Share by which the holdout RMSE must beat the champion's (default 0.02)." })
  promoteMargin?: number | null;
}

@ObjectType({ description: "A prediction for an asset, as stored." })
export class Prediction {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assetId!: string;

  @Field(() => ModelTaskValue)
  task!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field({ description: "Time of the latest telemetry the prediction saw." })
  dataTime!: Date;

  @Field(() => Float, { nullable: true, description: "Remaining useful life in cycles." })
  rul!: number | null;

  @Field(() => Float, { nullable: true })
  rulLow!: number | null;

  @Field(() => Float, { nullable: true })
  rulHigh!: number | null;

  @Field(() => Float, { nullable: true })
  anomalyScore!: number | null;

  @Field(() => Float, { nullable: true })
  anomalyThreshold!: number | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "Which sensors contribute most (anomalies)." })
  explanation!: Record<string, unknown> | null;

  @Field({ description: '"online" or the scoring run\'s id.' })
  source!: string;

  @Field()
  createdAt!: Date;
}

export const PredictionConnection = Connection(Prediction, "Prediction");

@ObjectType({ description: "An asset's latest stored predictions, one per task." })
export class AssetHealth {
  @Field(() => ID)
  assetId!: string;

  @Field(() => Prediction, { nullable: true })
  rul!: Prediction | null;

  @Field(() => Prediction, { nullable: true })
  anomaly!: Prediction | null;
}

@ObjectType({ description: "When an asset type's model is retrained and checked for drift." })
export class ModelSchedule {
  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => Int, { nullable: true, description: "Hours between scheduled retrainings; null: none." })
  retrainEveryHours!: number | null;

  @Field(() => Int, { nullable: true, description: "Hours between drift checks; null: none." })
  driftCheckEveryHours!: number | null;

  @Field(() => Float, { description: "PSI above which a sensor counts as drifted (and a training starts)." })
  driftThreshold!: number;
}

@InputType()
export class ModelScheduleInput {
  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => Int, { nullable: true })
  retrainEveryHours?: number | null;

  @Field(() => Int, { nullable: true })
  driftCheckEveryHours?: number | null;

  @Field(() => Float, { nullable: true, description: "Default 0.25." })
  driftThreshold?: number | null;
}

@ObjectType({ description: "One comparison of recent telemetry with the champion's training distribution." })
export class DriftCheck {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => ID)
  modelVersionId!: string;

  @Field(() => Float)
  threshold!: number;

  @Field(() => Int)
  windowHours!: number;

  @Field(() => GraphQLJSONObject, { description: "PSI per sensor." })
  psi!: Record<string, number>;

  @Field(() => [String], { description: "Sensors above the threshold, worst first." })
  drifted!: string[];

  @Field(() => Int)
  recentValues!: number;

  @Field(() => ID, { nullable: true, description: "The training it started." })
  trainingRunId!: string | null;

  @Field()
  createdAt!: Date;
}

export const DriftCheckConnection = Connection(DriftCheck, "DriftCheck");

@ObjectType({ description: "A batch scoring of an asset type's fleet." })
export class ScoringRun {
  @Field(() => ID)
  id!: string;

  @Field({ description: "RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED or TIMED_OUT." })
  status!: string;

  @Field(() => ID, { nullable: true, description: "The champion version used, once completed." })
  versionId!: string | null;

  @Field(() => Int, { nullable: true })
  scored!: number | null;

  @Field(() => Int, { nullable: true, description: "Assets without telemetry of every sensor yet." })
  skipped!: number | null;

  @Field()
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  closedAt!: Date | null;
}

@ObjectType({ description: "An asset with its latest remaining-life prediction." })
export class AssetRisk {
  @Field(() => ID)
  assetId!: string;

  @Field()
  externalId!: string;

  @Field(() => Prediction)
  prediction!: Prediction;
}

export const AssetRiskConnection = Connection(AssetRisk, "AssetRisk");
