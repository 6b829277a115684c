// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type CallServices, type RequestContext, tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import { listMaintenanceEvents, recordMaintenanceEvent } from "./events.js";
import { MaintenanceEvent, MaintenanceEventConnection, MaintenanceKindValue, RecordMaintenanceEventInput } from "./graphql-types.js";

/** What the maintenance resolvers need of the process's services: the call runners' only. */
export type MaintenanceServices = CallServices;

@Resolver()
export class MaintenanceResolver {
  @Mutation(() => MaintenanceEvent)
  recordMaintenanceEvent(
    @Ctx() rc: RequestContext<MaintenanceServices>,
    @Arg("input") input: RecordMaintenanceEventInput,
  ): Promise<MaintenanceEvent> {
    return tenantCall(rc, "assets:write", (ctx) => recordMaintenanceEvent(ctx, input));
  }

  @Query(() => MaintenanceEventConnection, { description: "Newest first." })
  maintenanceEvents(
    @Ctx() rc: RequestContext<MaintenanceServices>,
    @Args() page: PageArgs,
    @Arg("assetId", () => ID, { nullable: true }) assetId?: string,
    @Arg("kinds", () => [MaintenanceKindValue], { nullable: true }) kinds?: MaintenanceKindValue[],
    @Arg("from", () => Date, { nullable: true }) from?: Date,
    @Arg("to", () => Date, { nullable: true }) to?: Date,
  ): Promise<ConnectionShape<MaintenanceEvent>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "assets:read", async (ctx) =>
      toConnection(await listMaintenanceEvents(ctx, { page: request, assetId, kinds, from, to })),
    );
  }
}
