export type { AssetType } from "./asset-types.js";
export { getAssetType } from "./asset-types.js";
export type { Asset } from "./assets.js";
export { getAsset, listAssets, requireAssets } from "./assets.js";
export type { TypeMember } from "./type-members.js";
export { assetsOfType } from "./type-members.js";
