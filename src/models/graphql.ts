import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type RequestContext, tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import { promoteToChampion, rollBackToPrevious } from "./champion-views.js";
import type { ModelsServices } from "./deps.js";
import { Model, ModelTaskValue, ModelVersion, ModelVersionConnection } from "./graphql-types.js";
import { getVersion, listVersions } from "./versions.js";
import { modelView, modelViews } from "./views.js";

/** The task enum, for the GraphQL types of other capabilities. */
export { ModelTaskValue };

@Resolver()
export class ModelResolver {
  @Query(() => [Model], { description: "The tenant's models, at most one per asset type and task." })
  models(
    @Ctx() rc: RequestContext<ModelsServices>,
    @Arg("assetTypeId", () => ID, { nullable: true }) assetTypeId?: string,
    @Arg("task", () => ModelTaskValue, { nullable: true }) task?: ModelTaskValue,
  ): Promise<Model[]> {
    return tenantCall(rc, "models:read", (ctx) => modelViews(ctx, { assetTypeId, task }));
  }

  @Query(() => Model)
  model(@Ctx() rc: RequestContext<ModelsServices>, @Arg("id", () => ID) id: string): Promise<Model> {
    return tenantCall(rc, "models:read", (ctx) => modelView(ctx, id));
  }

  @Query(() => ModelVersionConnection, { description: "Newest first." })
  modelVersions(
    @Ctx() rc: RequestContext<ModelsServices>,
    @Arg("modelId", () => ID) modelId: string,
    @Args() page: PageArgs,
  ): Promise<ConnectionShape<ModelVersion>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "models:read", async (ctx) => toConnection(await listVersions(ctx, { modelId, page: request })));
  }

  @Query(() => ModelVersion)
  modelVersion(@Ctx() rc: RequestContext<ModelsServices>, @Arg("id", () => ID) id: string): Promise<ModelVersion> {
    return tenantCall(rc, "models:read", (ctx) => getVersion(ctx, id));
  }

  @Mutation(() => Model, {
    description:
      "Makes a version its model's champion; the former champion stays available for rollback. Needs models:promote (owners, admins). Audited.",
  })
  promoteModelVersion(
    @Ctx() rc: RequestContext<ModelsServices>,
    @Arg("versionId", () => ID) versionId: string,
    @Arg("reason") reason: string,
  ): Promise<Model> {
    return tenantCall(rc, "models:promote", (ctx) => promoteToChampion(ctx, { versionId, reason }));
  }

  @Mutation(() => Model, { description: "Restores the champion the current one replaced. Needs models:promote (owners, admins). Audited." })
  rollbackModel(
    @Ctx() rc: RequestContext<ModelsServices>,
    @Arg("modelId", () => ID) modelId: string,
    @Arg("reason") reason: string,
  ): Promise<Model> {
    return tenantCall(rc, "models:promote", (ctx) => rollBackToPrevious(ctx, { modelId, reason }));
  }
}
