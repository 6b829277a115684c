// First: type-graphql reads the decorators' design types through it, in any process that loads this file.
import "reflect-metadata";
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { type RequestContext, tenantCall } from "../core/calls.js";
import { type ConnectionShape, PageArgs, toConnection } from "../core/connection.js";
import { pageRequest } from "../core/pagination.js";
import { addSensors, createAssetType, getAssetType, listAssetTypes } from "./asset-types.js";
import { createAsset, getAsset, listAssets, updateAsset } from "./assets.js";
import type { AssetsServices } from "./deps.js";
import { createDevice, createDeviceToken, getDevice, listDevices, revokeDeviceToken, setDeviceAssets } from "./devices.js";
import {
  Asset,
  AssetConnection,
  AssetType,
  AssetTypeConnection,
  CreateAssetInput,
  CreateAssetTypeInput,
  CreateDeviceInput,
  Device,
  DeviceConnection,
  DeviceCreated,
  DeviceToken,
  DeviceTokenIssued,
  SensorInput,
  UpdateAssetInput,
} from "./graphql-types.js";

@Resolver()
export class AssetResolver {
  @Query(() => AssetTypeConnection)
  assetTypes(@Ctx() rc: RequestContext<AssetsServices>, @Args() page: PageArgs): Promise<ConnectionShape<AssetType>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "assets:read", async (ctx) =>
      toConnection(await listAssetTypes(ctx, request), (t) => ({ ...t, sensors: [...t.sensors] })),
    );
  }

  @Query(() => AssetType)
  async assetType(@Ctx() rc: RequestContext<AssetsServices>, @Arg("id", () => ID) id: string): Promise<AssetType> {
    const type = await tenantCall(rc, "assets:read", (ctx) => getAssetType(ctx, id));
    return { ...type, sensors: [...type.sensors] };
  }

  @Mutation(() => AssetType)
  async createAssetType(@Ctx() rc: RequestContext<AssetsServices>, @Arg("input") input: CreateAssetTypeInput): Promise<AssetType> {
    const type = await tenantCall(rc, "assets:write", (ctx) => createAssetType(ctx, input));
    return { ...type, sensors: [...type.sensors] };
  }

  @Mutation(() => AssetType, { description: "Adds sensors to a type (sensors are never removed: telemetry refers to them)." })
  async addSensors(
    @Ctx() rc: RequestContext<AssetsServices>,
    @Arg("assetTypeId", () => ID) assetTypeId: string,
    @Arg("sensors", () => [SensorInput]) sensors: SensorInput[],
  ): Promise<AssetType> {
    const type = await tenantCall(rc, "assets:write", (ctx) => addSensors(ctx, { assetTypeId, sensors }));
    return { ...type, sensors: [...type.sensors] };
  }

  @Query(() => AssetConnection)
  assets(
    @Ctx() rc: RequestContext<AssetsServices>,
    @Args() page: PageArgs,
    @Arg("parentId", () => ID, { nullable: true }) parentId?: string,
    @Arg("rootsOnly", { nullable: true }) rootsOnly?: boolean,
    @Arg("assetTypeId", () => ID, { nullable: true }) assetTypeId?: string,
  ): Promise<ConnectionShape<Asset>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "assets:read", async (ctx) =>
      toConnection(await listAssets(ctx, { page: request, parentId, rootsOnly, assetTypeId })),
    );
  }

  @Query(() => Asset)
  asset(@Ctx() rc: RequestContext<AssetsServices>, @Arg("id", () => ID) id: string): Promise<Asset> {
    return tenantCall(rc, "assets:read", (ctx) => getAsset(ctx, id));
  }

  @Mutation(() => Asset)
  createAsset(@Ctx() rc: RequestContext<AssetsServices>, @Arg("input") input: CreateAssetInput): Promise<Asset> {
    return tenantCall(rc, "assets:write", (ctx) => createAsset(ctx, input));
  }

  @Mutation(() => Asset)
  updateAsset(@Ctx() rc: RequestContext<AssetsServices>, @Arg("input") input: UpdateAssetInput): Promise<Asset> {
    return tenantCall(rc, "assets:write", (ctx) => updateAsset(ctx, input));
  }

  @Query(() => DeviceConnection)
  devices(@Ctx() rc: RequestContext<AssetsServices>, @Args() page: PageArgs): Promise<ConnectionShape<Device>> {
    const request = pageRequest(page.first, page.after);
    return tenantCall(rc, "assets:read", async (ctx) =>
      toConnection(await listDevices(ctx, request), (d) => ({ ...d, assetIds: [...d.assetIds], tokens: [...d.tokens] })),
    );
  }

  @Query(() => Device)
  async device(@Ctx() rc: RequestContext<AssetsServices>, @Arg("id", () => ID) id: string): Promise<Device> {
    const d = await tenantCall(rc, "assets:read", (ctx) => getDevice(ctx, id));
    return { ...d, assetIds: [...d.assetIds], tokens: [...d.tokens] };
  }

  @Mutation(() => DeviceCreated, { description: "A device with its first token; the secret is shown only here." })
  async createDevice(@Ctx() rc: RequestContext<AssetsServices>, @Arg("input") input: CreateDeviceInput): Promise<DeviceCreated> {
    const { device, issued } = await tenantCall(rc, "assets:write", (ctx) => createDevice(ctx, input));
    return { device: { ...device, assetIds: [...device.assetIds], tokens: [...device.tokens] }, issued };
  }

  @Mutation(() => Device, { description: "Replaces the set of assets the device may write for." })
  async setDeviceAssets(
    @Ctx() rc: RequestContext<AssetsServices>,
    @Arg("deviceId", () => ID) deviceId: string,
    @Arg("assetIds", () => [ID]) assetIds: string[],
  ): Promise<Device> {
    const d = await tenantCall(rc, "assets:write", (ctx) => setDeviceAssets(ctx, { deviceId, assetIds }));
    return { ...d, assetIds: [...d.assetIds], tokens: [...d.tokens] };
  }

  @Mutation(() => DeviceTokenIssued, { description: "A further token (rotation); revoke the old one once the device uses this." })
  createDeviceToken(@Ctx() rc: RequestContext<AssetsServices>, @Arg("deviceId", () => ID) deviceId: string): Promise<DeviceTokenIssued> {
    return tenantCall(rc, "assets:write", (ctx) => createDeviceToken(ctx, { deviceId }));
  }

  @Mutation(() => DeviceToken, { description: "HTTP writes with it stop at once; its MQTT connection is closed." })
  revokeDeviceToken(@Ctx() rc: RequestContext<AssetsServices>, @Arg("id", () => ID) id: string): Promise<DeviceToken> {
    return tenantCall(rc, "assets:write", (ctx) => revokeDeviceToken(ctx, { id }));
  }
}
