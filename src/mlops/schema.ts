import { sql } from "drizzle-orm";
import { check, doublePrecision, foreignKey, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { assets, assetTypes } from "../assets/schema.js";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";
import { MODEL_TASKS } from "../models/schema.js";

export const TRAINING_STATUSES = ["running", "succeeded", "failed", "cancelled"] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

/** A training run (one workflow): who asked and why, and what came of it. */
export const trainingRuns = pgTable(
  "training_runs",
  {
    tenantId: tenantId(),
    /** The workflow id. */
    id: text("id").notNull(),
    assetTypeId: text("asset_type_id").notNull(),
    task: text("task", { enum: MODEL_TASKS }).notNull(),
    trigger: text("trigger", { enum: ["manual", "schedule", "drift"] }).notNull(),
    reason: text("reason").notNull(),
    requestedBy: text("requested_by").notNull(),
    status: text("status", { enum: TRAINING_STATUSES }).notNull().default("running"),
    versionId: text("version_id"),
    promoted: integer("promoted"),
    error: text("error"),
    startedAt: createdAt(),
    finishedAt: timestampTz("finished_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.assetTypeId], foreignColumns: [assetTypes.tenantId, assetTypes.id] }).onDelete("cascade"),
    index("training_runs_type_idx").on(t.tenantId, t.assetTypeId, t.startedAt),
    check("training_runs_status_valid", sql`${t.status} in ('running','succeeded','failed','cancelled')`),
    check("training_runs_trigger_valid", sql`${t.trigger} in ('manual','schedule','drift')`),
  ],
);

/** A stored prediction for an asset: remaining life with its interval, or an anomaly score. */
export const assetPredictions = pgTable(
  "asset_predictions",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    assetId: text("asset_id").notNull(),
    task: text("task", { enum: MODEL_TASKS }).notNull(),
    modelVersionId: text("model_version_id").notNull(),
    /** The time of the last row the prediction saw. */
    dataTime: timestampTz("data_time").notNull(),
    rul: doublePrecision("rul"),
    rulLow: doublePrecision("rul_low"),
    rulHigh: doublePrecision("rul_high"),
    anomalyScore: doublePrecision("anomaly_score"),
    anomalyThreshold: doublePrecision("anomaly_threshold"),
    explanation: jsonb("explanation").$type<Record<string, unknown>>(),
    /** "online" or the scoring workflow's id. */
    source: text("source").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.assetId], foreignColumns: [assets.tenantId, assets.id] }).onDelete("cascade"),
    index("asset_predictions_asset_idx").on(t.tenantId, t.assetId, t.task, t.createdAt),
    /** An asset's latest prediction of a task (ids sort by creation) in one index probe. */
    index("asset_predictions_latest_idx").on(t.tenantId, t.assetId, t.task, t.id),
    check("asset_predictions_task_valid", sql`${t.task} in ('rul','anomaly')`),
  ],
);

/** One comparison of recent telemetry with the champion's training distribution. */
export const driftChecks = pgTable(
  "drift_checks",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    assetTypeId: text("asset_type_id").notNull(),
    modelVersionId: text("model_version_id").notNull(),
    threshold: doublePrecision("threshold").notNull(),
    windowHours: integer("window_hours").notNull(),
    psi: jsonb("psi").$type<Record<string, number>>().notNull(),
    drifted: jsonb("drifted").$type<string[]>().notNull(),
    recentValues: integer("recent_values").notNull(),
    /** The training this check started, when it found drift. */
    trainingRunId: text("training_run_id"),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.assetTypeId], foreignColumns: [assetTypes.tenantId, assetTypes.id] }).onDelete("cascade"),
    index("drift_checks_type_idx").on(t.tenantId, t.assetTypeId, t.createdAt),
  ],
);
