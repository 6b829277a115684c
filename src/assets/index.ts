export { parseDeviceToken } from "./devices.js";
export type { SensorValueType } from "./schema.js";
export type { AssetSeries, DeviceTargetRow, TenantScope } from "./telemetry-lookups.js";
export { assetSeries, deviceTargets, hasAssetWithExternalId, numericSensorKeys } from "./telemetry-lookups.js";
