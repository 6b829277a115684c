// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../core/connection.js";

export enum SensorValueTypeValue {
  FLOAT = "float",
  INTEGER = "integer",
  BOOLEAN = "boolean",
}
registerEnumType(SensorValueTypeValue, {
  name: "SensorValueType",
  description: "How a sensor's values are stored; writes of another type are refused.",
});

@ObjectType({ description: "A sensor (or operating setting) that assets of a type carry: a field of their telemetry." })
export class Sensor {
  @Field(() => ID)
  id!: string;

  @Field()
  key!: string;

  @Field(() => SensorValueTypeValue)
  valueType!: string;

  @Field()
  unit!: string;

  @Field()
  description!: string;
}

@ObjectType({ description: "A kind of machine; its key is the measurement its telemetry is written to." })
export class AssetType {
  @Field(() => ID)
  id!: string;

  @Field()
  key!: string;

  @Field()
  name!: string;

  @Field()
  description!: string;

  @Field(() => [Sensor])
  sensors!: Sensor[];

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: "A site, machine or component; external id is the customer's own, fixed once created." })
export class Asset {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => ID, { nullable: true })
  parentId!: string | null;

  @Field()
  externalId!: string;

  @Field()
  name!: string;

  @Field()
  createdAt!: Date;
}

@ObjectType()
export class DeviceToken {
  @Field(() => ID)
  id!: string;

  @Field({ description: "The public part; the MQTT username is pdmd_<prefix>." })
  prefix!: string;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ description: "A gateway that writes telemetry for a set of assets." })
export class Device {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => [ID])
  assetIds!: string[];

  @Field(() => [DeviceToken])
  tokens!: DeviceToken[];

  @Field()
  createdAt!: Date;
}

@ObjectType({ description: "A new device token; the secret is shown only here." })
export class DeviceTokenIssued {
  @Field(() => DeviceToken)
  token!: DeviceToken;

  @Field({ description: 'HTTP: "Authorization: Token <secret>"; MQTT: the password.' })
  secret!: string;

  @Field()
  mqttUsername!: string;

  @Field({ description: "The MQTT client id to connect with (the username); the broker refuses any other for this token." })
  mqttClientId!: string;

  @Field({ description: "The only topic this device may publish line protocol to." })
  mqttTopic!: string;
}

@ObjectType()
export class DeviceCreated {
  @Field(() => Device)
  device!: Device;

  @Field(() => DeviceTokenIssued)
  issued!: DeviceTokenIssued;
}

@InputType()
export class SensorInput {
  @Field()
  key!: string;

  @Field(() => SensorValueTypeValue, { nullable: true, description: "Default FLOAT." })
  valueType?: SensorValueTypeValue;

  @Field({ nullable: true })
  unit?: string;

  @Field({ nullable: true })
  description?: string;
}

@InputType()
export class CreateAssetTypeInput {
  @Field({ description: "Lower-case letters, digits and _; the telemetry measurement." })
  key!: string;

  @Field()
  name!: string;

  @Field({ nullable: true })
  description?: string;

  @Field(() => [SensorInput])
  sensors!: SensorInput[];
}

@InputType()
export class CreateAssetInput {
  @Field(() => ID)
  assetTypeId!: string;

  @Field()
  externalId!: string;

  @Field()
  name!: string;

  @Field(() => ID, { nullable: true })
  parentId?: string;
}

@InputType()
export class UpdateAssetInput {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true })
  name?: string;

  @Field(() => ID, { nullable: true, description: "Move below this asset." })
  parentId?: string;

  @Field({ nullable: true, description: "Move to the top of the tree." })
  moveToRoot?: boolean;
}

@InputType()
export class CreateDeviceInput {
  @Field()
  name!: string;

  @Field(() => [ID])
  assetIds!: string[];
}

export const AssetTypeConnection = Connection(AssetType, "AssetType");
export const AssetConnection = Connection(Asset, "Asset");
export const DeviceConnection = Connection(Device, "Device");
