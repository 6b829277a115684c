// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Ctx, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root, registerEnumType } from "type-graphql";
import { Device, DeviceTokenIssued } from "../assets/index.js";
import { type RequestContext, tenantCall } from "../core/calls.js";
import type { DeviceEndpointsServices } from "./deps.js";
import { deviceDiagnosticsOf } from "./diagnostics.js";
import { deviceTopic } from "./mqtt-admin.js";
import { MQTT_DEFAULT_PRECISION, MQTT_PRECISIONS } from "./mqtt-message.js";

export enum IngestProtocolValue {
  HTTP = "http",
  MQTT = "mqtt",
}
registerEnumType(IngestProtocolValue, { name: "IngestProtocol", description: "How a device wrote a batch." });

@ObjectType({ description: "The last batch the ingest path refused to the device, and why." })
export class DeviceRefusal {
  @Field()
  at!: Date;

  @Field(() => IngestProtocolValue)
  protocol!: IngestProtocolValue;

  @Field({ description: "The error code the batch was answered with (VALIDATION, FORBIDDEN, QUOTA_EXCEEDED, PAYMENT_REQUIRED …)." })
  code!: string;

  @Field({ description: "What was wrong and how to fix it, as the device was answered (over MQTT, only here)." })
  message!: string;

  @Field(() => Int, { nullable: true, description: "The first bad line of the batch (1-based), when the refusal is about one." })
  line!: number | null;
}

@ObjectType({ description: "What the ingest path saw of a device, over HTTP and MQTT, since it was created." })
export class DeviceDiagnostics {
  @Field(() => Float, { description: "Counts are whole numbers (Float: they may pass 2^31)." })
  acceptedBatches!: number;

  @Field(() => Float)
  acceptedPoints!: number;

  @Field(() => Float, { description: "Batches refused after the device was authenticated (a bad token is not attributable)." })
  refusedBatches!: number;

  @Field(() => Float, { description: "The lines (points) of the refused batches that were not blank or comments." })
  refusedPoints!: number;

  @Field(() => Date, { nullable: true, description: "The last batch over HTTP, accepted or refused." })
  lastHttpAt!: Date | null;

  @Field(() => Date, { nullable: true, description: "The last message over MQTT, accepted or refused." })
  lastMqttAt!: Date | null;

  @Field(() => DeviceRefusal, { nullable: true })
  lastRefusal!: DeviceRefusal | null;
}

@ObjectType({ description: "Where and how a device writes telemetry." })
export class DeviceEndpoints {
  @Field({ description: "The MQTT broker to connect to (MQTT 3.1.1 or 5); the username and client id are the token's mqttUsername." })
  mqttUrl!: string;

  @Field({ description: "The only topic the device may publish line protocol to (QoS 1)." })
  mqttTopic!: string;

  @Field({
    description:
      'The precision of MQTT timestamps: nanoseconds, unless a message carries the MQTT 5 user property "precision" (ns, us, ms or s).',
  })
  mqttPrecision!: string;

  @Field(() => [String], { description: 'The values of the MQTT 5 user property "precision" a message may carry.' })
  mqttPrecisions!: string[];

  @Field({ description: "InfluxDB 2.x write URL: add ?org=<any>&bucket=<any>&precision=ns|us|ms|s; Authorization: Token <secret>." })
  httpWriteUrl!: string;

  @Field({ description: "InfluxDB 1.x write URL: add ?db=<any>&precision=n|u|ms|s|m|h; Authorization: Token <secret>, or p=<secret>." })
  httpWriteUrlV1!: string;
}

function endpointsOf(rc: RequestContext<DeviceEndpointsServices>, deviceId: string): DeviceEndpoints {
  const { config } = rc.services;
  return {
    mqttUrl: config.MQTT_PUBLIC_URL,
    mqttTopic: deviceTopic(deviceId),
    mqttPrecision: MQTT_DEFAULT_PRECISION,
    mqttPrecisions: [...MQTT_PRECISIONS],
    httpWriteUrl: `${config.API_PUBLIC_URL}/api/v2/write`,
    httpWriteUrlV1: `${config.API_PUBLIC_URL}/write`,
  };
}

/** A device's telemetry side: its diagnostics and where it writes. */
@Resolver(() => Device)
export class DeviceTelemetryResolver {
  @FieldResolver(() => DeviceDiagnostics, { description: "Batches accepted and refused, last seen per protocol, the last refusal." })
  async diagnostics(@Root() device: Device, @Ctx() rc: RequestContext<DeviceEndpointsServices>): Promise<DeviceDiagnostics> {
    const found = await tenantCall(rc, "assets:read", (ctx) => deviceDiagnosticsOf(ctx, device.id));
    const refusal = found.lastRefusal;
    const protocol = refusal?.protocol === "mqtt" ? IngestProtocolValue.MQTT : IngestProtocolValue.HTTP;
    return { ...found, lastRefusal: refusal ? { ...refusal, protocol } : null };
  }

  @FieldResolver(() => DeviceEndpoints, { description: "Where and how the device writes (its token's secret and MQTT username aside)." })
  endpoints(@Root() device: Device, @Ctx() rc: RequestContext<DeviceEndpointsServices>): DeviceEndpoints {
    return endpointsOf(rc, device.id);
  }
}

/** A new token's answer also says where to use it (next to its mqttUsername, mqttClientId and mqttTopic). */
@Resolver(() => DeviceTokenIssued)
export class IssuedTokenEndpointsResolver {
  @FieldResolver(() => String, { description: "The MQTT broker to connect to (mqtt://, mqtts://, ws:// or wss://)." })
  mqttUrl(@Ctx() rc: RequestContext<DeviceEndpointsServices>): string {
    return rc.services.config.MQTT_PUBLIC_URL;
  }

  @FieldResolver(() => String, {
    description: 'The precision of MQTT timestamps: ns, unless a message carries the MQTT 5 user property "precision" (ns, us, ms or s).',
  })
  mqttPrecision(): string {
    return MQTT_DEFAULT_PRECISION;
  }

  @FieldResolver(() => String, { description: "InfluxDB 2.x write URL: add ?org=<any>&bucket=<any>&precision=ns|us|ms|s." })
  httpWriteUrl(@Ctx() rc: RequestContext<DeviceEndpointsServices>): string {
    return `${rc.services.config.API_PUBLIC_URL}/api/v2/write`;
  }
}
