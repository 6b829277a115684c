CREATE TABLE "asset_predictions" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"asset_id" text NOT NULL,
	"task" text NOT NULL,
	"model_version_id" text NOT NULL,
	"data_time" timestamp with time zone NOT NULL,
	"rul" double precision,
	"rul_low" double precision,
	"rul_high" double precision,
	"anomaly_score" double precision,
	"anomaly_threshold" double precision,
	"explanation" jsonb,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "asset_predictions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "asset_predictions_task_valid" CHECK ("asset_predictions"."task" in ('rul','anomaly'))
);
--> statement-breakpoint
CREATE TABLE "training_runs" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"asset_type_id" text NOT NULL,
	"task" text NOT NULL,
	"trigger" text NOT NULL,
	"reason" text NOT NULL,
	"requested_by" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"version_id" text,
	"promoted" integer,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "training_runs_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "training_runs_status_valid" CHECK ("training_runs"."status" in ('running','succeeded','failed','cancelled')),
	CONSTRAINT "training_runs_trigger_valid" CHECK ("training_runs"."trigger" in ('manual','schedule','drift'))
);
--> statement-breakpoint
ALTER TABLE "asset_predictions" ADD CONSTRAINT "asset_predictions_tenant_id_asset_id_assets_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_id") REFERENCES "public"."assets"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_runs" ADD CONSTRAINT "training_runs_tenant_id_asset_type_id_asset_types_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_type_id") REFERENCES "public"."asset_types"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "asset_predictions_asset_idx" ON "asset_predictions" USING btree ("tenant_id","asset_id","task","created_at");--> statement-breakpoint
CREATE INDEX "training_runs_type_idx" ON "training_runs" USING btree ("tenant_id","asset_type_id","created_at");