import { sql } from "drizzle-orm";
import { check, customType, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { assetTypes } from "../assets/schema.js";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";

export const MODEL_TASKS = ["rul", "anomaly"] as const;
export type ModelTask = (typeof MODEL_TASKS)[number];
export const MODEL_ALIASES = ["champion", "challenger"] as const;
export type ModelAlias = (typeof MODEL_ALIASES)[number];

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/** One model per tenant, asset type and task; its versions are the trained ones. */
export const models = pgTable(
  "models",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    assetTypeId: text("asset_type_id").notNull(),
    task: text("task", { enum: MODEL_TASKS }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.assetTypeId], foreignColumns: [assetTypes.tenantId, assetTypes.id] }).onDelete("cascade"),
    uniqueIndex("models_type_task_key").on(t.tenantId, t.assetTypeId, t.task),
    check("models_task_valid", sql`${t.task} in ('rul','anomaly')`),
  ],
);

/** Serialised models, addressed by the sha256 of their bytes: any worker can load them from here. */
export const modelArtifacts = pgTable(
  "model_artifacts",
  {
    tenantId: tenantId(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    mediaType: text("media_type").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sha256] }), check("model_artifacts_sha256_format", sql`${t.sha256} ~ '^[0-9a-f]{64}$'`)],
);

/** A trained model: what it was trained on (lineage), how well it did, and its artifact. */
export const modelVersions = pgTable(
  "model_versions",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    modelId: text("model_id").notNull(),
    version: integer("version").notNull(),
    /** The training run that produced it (a workflow id): registering twice gives the same version. */
    runId: text("run_id").notNull(),
    params: jsonb("params").$type<Record<string, unknown>>().notNull(),
    metrics: jsonb("metrics").$type<Record<string, unknown>>().notNull(),
    lineage: jsonb("lineage").$type<Record<string, unknown>>().notNull(),
    featureConfigHash: text("feature_config_hash").notNull(),
    codeVersion: text("code_version").notNull(),
    artifactSha256: text("artifact_sha256").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.modelId], foreignColumns: [models.tenantId, models.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.artifactSha256], foreignColumns: [modelArtifacts.tenantId, modelArtifacts.sha256] }),
    uniqueIndex("model_versions_number_key").on(t.tenantId, t.modelId, t.version),
    uniqueIndex("model_versions_run_key").on(t.tenantId, t.runId),
    index("model_versions_artifact_idx").on(t.tenantId, t.artifactSha256),
  ],
);

/** Which version answers as champion (used for predictions) and which is being tried as challenger. */
export const modelAliases = pgTable(
  "model_aliases",
  {
    tenantId: tenantId(),
    modelId: text("model_id").notNull(),
    alias: text("alias", { enum: MODEL_ALIASES }).notNull(),
    versionId: text("version_id").notNull(),
    updatedAt: timestampTz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.modelId, t.alias] }),
    foreignKey({ columns: [t.tenantId, t.modelId], foreignColumns: [models.tenantId, models.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.tenantId, t.versionId], foreignColumns: [modelVersions.tenantId, modelVersions.id] }),
    index("model_aliases_version_idx").on(t.tenantId, t.versionId),
    check("model_aliases_alias_valid", sql`${t.alias} in ('champion','challenger')`),
  ],
);

/** Every change of an alias, append-only: what rollback walks back along. */
export const modelAliasHistory = pgTable(
  "model_alias_history",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    modelId: text("model_id").notNull(),
    alias: text("alias", { enum: MODEL_ALIASES }).notNull(),
    action: text("action", { enum: ["promote", "rollback", "assign"] }).notNull(),
    versionId: text("version_id").notNull(),
    previousVersionId: text("previous_version_id"),
    reason: text("reason").notNull(),
    actor: text("actor").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.modelId], foreignColumns: [models.tenantId, models.id] }).onDelete("cascade"),
    index("model_alias_history_model_idx").on(t.tenantId, t.modelId, t.alias, t.id),
    check("model_alias_history_action_valid", sql`${t.action} in ('promote','rollback','assign')`),
  ],
);
