import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../core/connection.js";

export enum ModelTaskValue {
  RUL = "rul",
  ANOMALY = "anomaly",
}
registerEnumType(ModelTaskValue, {
  name: "ModelTask",
  description: "RUL: remaining useful life in cycles. ANOMALY: a score per time step against the healthy period.",
});

@ObjectType({ description: "A trained model: its figures, what it was trained on, and its artifact's address." })
export class ModelVersion {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  modelId!: string;

  @Field(() => Int, { description: "1, 2, 3… per model, in the order registered." })
  version!: number;

  @Field({ description: "The training run (workflow id) that produced it." })
  runId!: string;

  @Field(() => GraphQLJSONObject, { description: "Hyper-parameters and feature configuration." })
  params!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, { description: "Cross-validated and holdout figures (e.g. rmse, phm08)." })
  metrics!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, { description: "Assets, time ranges and point counts it was trained on." })
  lineage!: Record<string, unknown>;

  @Field()
  featureConfigHash!: string;

  @Field()
  codeVersion!: string;

  @Field({ description: "sha256 of the serialised model." })
  artifactSha256!: string;

  @Field()
  createdAt!: Date;
}

export const ModelVersionConnection = Connection(ModelVersion, "ModelVersion");

@ObjectType({ description: "The model of an asset type for one task; predictions use its champion." })
export class Model {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => ModelTaskValue)
  task!: string;

  @Field(() => ModelVersion, { nullable: true })
  champion!: ModelVersion | null;

  @Field(() => ModelVersion, { nullable: true })
  challenger!: ModelVersion | null;

  @Field()
  createdAt!: Date;
}
