import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { type RequestContext, tenantCallThenRead } from "../core/calls.js";
import type { TelemetryServices } from "./deps.js";
import { latestTelemetry, type TelemetryTable as TelemetryResult, telemetryAggregate, telemetryPoints } from "./queries.js";

export enum AggregateValue {
  MEAN = "mean",
  MIN = "min",
  MAX = "max",
  LAST = "last",
  COUNT = "count",
}
registerEnumType(AggregateValue, { name: "Aggregate" });

@ObjectType({ description: "Column-major rows: `times[i]` holds `values[s][i]` of `sensors[s]`; booleans read as 1 and 0." })
export class TelemetryTable {
  @Field(() => [String])
  sensors!: string[];

  @Field(() => [Date])
  times!: Date[];

  @Field(() => [[Float]], { nullable: "items", description: "One list per sensor, as long as `times`; null where a row has no value." })
  values!: (number | null)[][];
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

const table = (t: TelemetryResult): TelemetryTable => ({ sensors: [...t.sensors], times: [...t.times], values: [...t.values] });

@Resolver()
export class TelemetryResolver {
  @Query(() => TelemetryTable, { description: "Raw points of an asset, oldest first. Sensors default to all of its type." })
  async telemetry(
    @Ctx() rc: RequestContext<TelemetryServices>,
    @Arg("assetId", () => ID) assetId: string,
    @Arg("from") from: Date,
    @Arg("to") to: Date,
    @Arg("sensors", () => [String], { nullable: true }) sensors?: string[],
    @Arg("limit", () => Int, { nullable: true }) limit?: number,
  ): Promise<TelemetryTable> {
    return table(await tenantCallThenRead(rc, "telemetry:read", (ctx) => telemetryPoints(ctx, { assetId, sensors, from, to, limit })));
  }

  @Query(() => TelemetryTable, { description: "One row per window that holds data (windows of 1 second to 366 days)." })
  async telemetryAggregate(
    @Ctx() rc: RequestContext<TelemetryServices>,
    @Arg("assetId", () => ID) assetId: string,
    @Arg("from") from: Date,
    @Arg("to") to: Date,
    @Arg("windowSeconds", () => Int) windowSeconds: number,
    @Arg("aggregate", () => AggregateValue) aggregate: AggregateValue,
    @Arg("sensors", () => [String], { nullable: true }) sensors?: string[],
  ): Promise<TelemetryTable> {
    return table(
      await tenantCallThenRead(rc, "telemetry:read", (ctx) =>
        telemetryAggregate(ctx, { assetId, sensors, from, to, windowSeconds, aggregate }),
      ),
    );
  }

  @Query(() => [LatestValue], { description: "The last value of each sensor, each with its own time." })
  async latestTelemetry(
    @Ctx() rc: RequestContext<TelemetryServices>,
    @Arg("assetId", () => ID) assetId: string,
    @Arg("sensors", () => [String], { nullable: true }) sensors?: string[],
  ): Promise<LatestValue[]> {
    return tenantCallThenRead(rc, "telemetry:read", (ctx) => latestTelemetry(ctx, { assetId, sensors }));
  }
}
