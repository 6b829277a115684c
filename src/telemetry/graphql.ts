import { Arg, Args, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { tenantCall } from "../api/calls.js";
import { Connection, type ConnectionShape, PageArgs, toConnection } from "../api/connection.js";
import type { RequestContext } from "../api/services.js";
import { pageRequest } from "../core/pagination.js";
import { fleetOverview, latestTelemetry, telemetryAggregate, telemetryPoints } from "./queries.js";

export enum AggregateValue {
  MEAN = "mean",
  MIN = "min",
  MAX = "max",
  LAST = "last",
  COUNT = "count",
}
registerEnumType(AggregateValue, { name: "Aggregate" });

@ObjectType()
export class TelemetryRow {
  @Field()
  time!: Date;

  @Field(() => [Float], { nullable: "items", description: "One value per sensor, in the order of `sensors`; null where a row has none." })
  values!: (number | null)[];
}

@ObjectType({ description: "Rows of sensor values; booleans read as 1 and 0." })
export class TelemetryTable {
  @Field(() => [String])
  sensors!: string[];

  @Field(() => [TelemetryRow])
  rows!: TelemetryRow[];
}

@ObjectType()
export class LatestValue {
  @Field()
  sensor!: string;

  @Field()
  time!: Date;

  @Field(() => Float, { nullable: true })
  value!: number | null;
}

@ObjectType({ description: "How an asset is delivering: its last delivery and its points over the last 24 hours." })
export class FleetEntry {
  @Field(() => ID)
  assetId!: string;

  @Field()
  externalId!: string;

  @Field()
  name!: string;

  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => Date, { nullable: true })
  lastSeenAt!: Date | null;

  @Field(() => Float)
  pointsLastDay!: number;
}

const FleetEntryConnection = Connection(FleetEntry, "FleetEntry");

const table = (t: { sensors: readonly string[]; rows: readonly { time: Date; values: (number | null)[] }[] }): TelemetryTable => ({
  sensors: [...t.sensors],
  rows: [...t.rows],
});

@Resolver()
export class TelemetryResolver {
  @Query(() => TelemetryTable, { description: "Raw points of an asset, oldest first. Sensors default to all of its type." })
  telemetry(
    @Ctx() rc: RequestContext,
    @Arg("assetId", () => ID) assetId: string,
    @Arg("from") from: Date,
    @Arg("to") to: Date,
    @Arg("sensors", () => [String], { nullable: true }) sensors?: string[],
    @Arg("limit", () => Int, { nullable: true }) limit?: number,
  ): Promise<TelemetryTable> {
    return tenantCall(rc, "telemetry:read", async (ctx) =>
      table(await telemetryPoints({ ...ctx, store: rc.services.store }, { assetId, sensors, from, to, limit })),
    );
  }

  @Query(() => TelemetryTable, { description: "One row per window that holds data (windows of 1 second to 366 days)." })
  telemetryAggregate(
    @Ctx() rc: RequestContext,
    @Arg("assetId", () => ID) assetId: string,
    @Arg("from") from: Date,
    @Arg("to") to: Date,
    @Arg("windowSeconds", () => Int) windowSeconds: number,
    @Arg("aggregate", () => AggregateValue) aggregate: AggregateValue,
    @Arg("sensors", () => [String], { nullable: true }) sensors?: string[],
  ): Promise<TelemetryTable> {
    return tenantCall(rc, "telemetry:read", async (ctx) =>
      table(await telemetryAggregate({ ...ctx, store: rc.services.store }, { assetId, sensors, from, to, windowSeconds, aggregate })),
    );
  }

  @Query(() => [LatestValue], { description: "The last value of each sensor, each with its own time." })
  latestTelemetry(
    @Ctx() rc: RequestContext,
    @Arg("assetId", () => ID) assetId: string,
    @Arg("sensors", () => [String], { nullable: true }) sensors?: string[],
  ): Promise<LatestValue[]> {
    return tenantCall(rc, "telemetry:read", (ctx) => latestTelemetry({ ...ctx, store: rc.services.store }, { assetId, sensors }));
  }

  @Query(() => FleetEntryConnection)
  fleetOverview(
    @Ctx() rc: RequestContext,
    @Args() page: PageArgs,
    @Arg("assetTypeId", () => ID, { nullable: true }) assetTypeId?: string,
  ): Promise<ConnectionShape<FleetEntry>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "telemetry:read", async (ctx) => toConnection(await fleetOverview(ctx, { page: request, assetTypeId })));
  }
}
