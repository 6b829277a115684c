export type { AssetType, Sensor, SensorInput } from "./asset-types.js";
export { getAssetType, listAssetTypes, MAX_SENSORS_PER_TYPE } from "./asset-types.js";
export type { Asset } from "./assets.js";
export { getAsset, listAssets, requireAssets } from "./assets.js";
export type { AssetsDeps, AssetsServices, DeviceCredentials } from "./deps.js";
export { parseDeviceToken } from "./devices.js";
export type { TypeMember } from "./type-members.js";
export { assetsOfType } from "./type-members.js";
