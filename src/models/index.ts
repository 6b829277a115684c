export { championOf, promoteVersion, rollbackChampion } from "./aliases.js";
export type { ModelsDeps, ModelsServices } from "./deps.js";
export { ModelResolver } from "./graphql.js";
export { ModelTaskValue } from "./graphql-types.js";
export type { Model } from "./models.js";
export { ensureModel, findModel } from "./models.js";
export type { ModelAlias, ModelTask } from "./schema.js";
export type { ModelVersion, RegisterVersionInput } from "./versions.js";
export { getVersion, loadArtifact, registerVersion, storeArtifact } from "./versions.js";
