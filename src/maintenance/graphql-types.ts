// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../core/connection.js";

export enum MaintenanceKindValue {
  FAILURE = "failure",
  REPAIR = "repair",
  INSPECTION = "inspection",
}
registerEnumType(MaintenanceKindValue, {
  name: "MaintenanceKind",
  description: "A failure ends a run-to-failure series (its cycles are labelled with remaining life for training).",
});

@ObjectType({ description: "A failure, repair or inspection of an asset." })
export class MaintenanceEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assetId!: string;

  @Field({ description: "The asset's name." })
  assetName!: string;

  @Field({ description: "The asset's external id (the customer's own)." })
  assetExternalId!: string;

  @Field(() => MaintenanceKindValue)
  kind!: string;

  @Field()
  occurredAt!: Date;

  @Field()
  note!: string;

  @Field({ description: 'Who recorded it, as "user:<id>", "api_key:<id>" or "workflow:<id>".' })
  recordedBy!: string;

  @Field(() => String, {
    nullable: true,
    description: "The name of the person or API key that recorded it; null for workflows, or when the person left the tenant.",
  })
  recordedByName!: string | null;

  @Field()
  createdAt!: Date;
}

export const MaintenanceEventConnection = Connection(MaintenanceEvent, "MaintenanceEvent");

@InputType()
export class RecordMaintenanceEventInput {
  @Field(() => ID)
  assetId!: string;

  @Field(() => MaintenanceKindValue)
  kind!: MaintenanceKindValue;

  @Field({ description: "When it happened (not in the future)." })
  occurredAt!: Date;

  @Field(() => String, { nullable: true, description: "Free text, at most 2,000 characters." })
  note?: string | null;
}
