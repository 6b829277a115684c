import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";
import { Args, ArgsType, Ctx, Field, Float, ID, Info, Int, ObjectType, Query, Resolver, registerEnumType } from "type-graphql";
import { type RequestContext, tenantCall } from "../core/calls.js";
import { PageInfo } from "../core/connection.js";
import type { TelemetryServices } from "./deps.js";
import { fleetPage, fleetQuery, MAX_SEARCH_LENGTH } from "./fleet.js";
import type { FleetSort as FleetSortName, HealthState as HealthStateName } from "./fleet-cursor.js";

export enum FleetSort {
  REMAINING_LIFE_ASC = "REMAINING_LIFE_ASC",
  NAME = "NAME",
  LAST_SEEN_DESC = "LAST_SEEN_DESC",
  HEALTH = "HEALTH",
}
registerEnumType(FleetSort, {
  name: "FleetSort",
  valuesConfig: {
    REMAINING_LIFE_ASC: { description: "Lowest predicted remaining life first; assets never scored last." },
    NAME: { description: "By name, ignoring case." },
    LAST_SEEN_DESC: { description: "Latest delivery first; assets that never delivered last." },
    HEALTH: { description: "CRITICAL, WATCH, OK, UNKNOWN; within a state, lowest remaining life first." },
  },
});

export enum HealthState {
  CRITICAL = "CRITICAL",
  WATCH = "WATCH",
  OK = "OK",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(HealthState, {
  name: "HealthState",
  valuesConfig: {
    CRITICAL: { description: "An unresolved remaining-life alert, or the latest remaining life below the type's alert threshold." },
    WATCH: { description: "An unresolved anomaly alert, or the latest remaining life's interval reaching below the alert threshold." },
    OK: { description: "Scored for remaining life, and none of the above." },
    UNKNOWN: { description: "Never scored for remaining life, and no unresolved alert." },
  },
});

@ObjectType({ description: "An ancestor of an asset in the asset tree." })
export class FleetAncestor {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;
}

@ObjectType({ description: "The latest remaining-life prediction of an asset." })
export class FleetRemainingLife {
  @Field(() => ID)
  predictionId!: string;

  @Field(() => Float, { description: "Predicted remaining life, in cycles." })
  rul!: number;

  @Field(() => Float, { nullable: true, description: "Lower bound of the prediction interval." })
  low!: number | null;

  @Field(() => Float, { nullable: true, description: "Upper bound of the prediction interval." })
  high!: number | null;

  @Field(() => ID, { description: "The model version that predicted it." })
  modelVersionId!: string;

  @Field({ description: "The time of the last telemetry row the prediction saw." })
  dataTime!: Date;

  @Field()
  predictedAt!: Date;
}

@ObjectType({ description: "The worst unresolved alert of an asset (remaining life before anomaly)." })
export class FleetAlert {
  @Field(() => ID)
  id!: string;

  @Field({ description: '"rul_low" or "anomaly".' })
  kind!: string;
}

@ObjectType({ description: "An asset in the fleet overview: its place in the tree, health, remaining life and delivery." })
export class FleetEntry {
  @Field(() => ID)
  assetId!: string;

  @Field()
  externalId!: string;

  @Field()
  name!: string;

  @Field(() => ID)
  assetTypeId!: string;

  @Field(() => ID, { nullable: true })
  parentId!: string | null;

  @Field(() => Int, { description: "0 for a root; the number of ancestors." })
  depth!: number;

  @Field(() => [FleetAncestor], { description: "The ancestors, root first, the parent last." })
  ancestors!: FleetAncestor[];

  @Field(() => Int, { description: "How many assets have this one as their parent." })
  childCount!: number;

  @Field(() => HealthState)
  health!: HealthState;

  @Field(() => FleetRemainingLife, { nullable: true, description: "Null when the asset was never scored." })
  remainingLife!: FleetRemainingLife | null;

  @Field(() => FleetAlert, { nullable: true })
  worstAlert!: FleetAlert | null;

  @Field(() => Date, { nullable: true })
  lastSeenAt!: Date | null;

  @Field(() => Float, { description: "Points delivered in the last 24 hours (whole hours)." })
  pointsLastDay!: number;
}

@ObjectType("FleetEntryEdge")
export class FleetEntryEdge {
  @Field()
  cursor!: string;

  @Field(() => FleetEntry)
  node!: FleetEntry;
}

@ObjectType("FleetEntryConnection")
export class FleetEntryConnection {
  @Field(() => [FleetEntryEdge])
  edges!: FleetEntryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { nullable: true, description: "How many assets match the filters over all pages; counted only when selected." })
  totalCount!: number | null;
}

/** Whether the operation selects `name` directly under this field (also through fragments). */
function selects(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const within = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name;
      if (s.kind === Kind.INLINE_FRAGMENT) return within(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return within(info.fragments[s.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}

@ArgsType()
export class FleetArgs {
  @Field(() => Int, { nullable: true, description: "How many items, 1 to 100 (default 20)." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "The endCursor of the previous page, under the same sort and filters." })
  after?: string | null;

  @Field(() => FleetSort, { nullable: true, description: "Default REMAINING_LIFE_ASC." })
  sort?: FleetSort | null;

  @Field(() => String, {
    nullable: true,
    description: `Case-insensitive substring of the name or the external id (at most ${MAX_SEARCH_LENGTH} characters; % and _ match themselves).`,
  })
  search?: string | null;

  @Field(() => [HealthState], { nullable: true, description: "Only assets in one of these states." })
  health?: HealthState[] | null;

  @Field(() => ID, { nullable: true, description: "Only assets of this type." })
  assetTypeId?: string | null;

  @Field(() => ID, { nullable: true, description: "Only the direct children of this asset." })
  parentId?: string | null;
}

@Resolver()
export class FleetResolver {
  @Query(() => FleetEntryConnection, {
    description: "The fleet, one page per call: health, remaining life and delivery per asset, keyset-paginated under every sort.",
  })
  fleetOverview(
    @Ctx() rc: RequestContext<TelemetryServices>,
    @Args() args: FleetArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<FleetEntryConnection> {
    const q = fleetQuery({
      ...args,
      sort: args.sort as FleetSortName | null | undefined,
      health: args.health as HealthStateName[] | null | undefined,
    });
    const withCount = selects(info, "totalCount");
    return tenantCall(rc, "telemetry:read", (ctx) => fleetPage(ctx, { query: q, withCount })).then((page) => ({
      pageInfo: page.pageInfo,
      totalCount: page.totalCount,
      edges: page.edges.map((e) => ({
        cursor: e.cursor,
        node: {
          ...e.node,
          depth: e.node.ancestors.length,
          ancestors: [...e.node.ancestors],
          health: e.node.health as HealthState,
          remainingLife: e.node.remainingLife,
          worstAlert: e.node.worstAlert,
        },
      })),
    }));
  }
}
