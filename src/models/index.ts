// The capability's verbs and types for other folders. Its GraphQL face (graphql.ts: the resolver for
// the schema the API builds, and the types other resolvers use) is kept apart: the worker loads no GraphQL.
export { championOf, promoteVersion, rollbackChampion } from "./aliases.js";
export type { ModelsDeps, ModelsServices } from "./deps.js";
export type { Model } from "./models.js";
export { ensureModel, findModel } from "./models.js";
export type { ModelAlias, ModelTask } from "./schema.js";
export type { ModelVersion, RegisterVersionInput } from "./versions.js";
export { getVersion, loadArtifact, registerVersion, storeArtifact } from "./versions.js";
