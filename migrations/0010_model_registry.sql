CREATE TABLE "model_alias_history" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"model_id" text NOT NULL,
	"alias" text NOT NULL,
	"action" text NOT NULL,
	"version_id" text NOT NULL,
	"previous_version_id" text,
	"reason" text NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_alias_history_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "model_alias_history_action_valid" CHECK ("model_alias_history"."action" in ('promote','rollback','assign'))
);
--> statement-breakpoint
CREATE TABLE "model_aliases" (
	"tenant_id" text NOT NULL,
	"model_id" text NOT NULL,
	"alias" text NOT NULL,
	"version_id" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_aliases_tenant_id_model_id_alias_pk" PRIMARY KEY("tenant_id","model_id","alias"),
	CONSTRAINT "model_aliases_alias_valid" CHECK ("model_aliases"."alias" in ('champion','challenger'))
);
--> statement-breakpoint
CREATE TABLE "model_artifacts" (
	"tenant_id" text NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"media_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_artifacts_tenant_id_sha256_pk" PRIMARY KEY("tenant_id","sha256"),
	CONSTRAINT "model_artifacts_sha256_format" CHECK ("model_artifacts"."sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"model_id" text NOT NULL,
	"version" integer NOT NULL,
	"run_id" text NOT NULL,
	"params" jsonb NOT NULL,
	"metrics" jsonb NOT NULL,
	"lineage" jsonb NOT NULL,
	"feature_config_hash" text NOT NULL,
	"code_version" text NOT NULL,
	"artifact_sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_versions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "models" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"asset_type_id" text NOT NULL,
	"task" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "models_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "models_task_valid" CHECK ("models"."task" in ('rul','anomaly'))
);
--> statement-breakpoint
ALTER TABLE "model_alias_history" ADD CONSTRAINT "model_alias_history_tenant_id_model_id_models_tenant_id_id_fk" FOREIGN KEY ("tenant_id","model_id") REFERENCES "public"."models"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_tenant_id_model_id_models_tenant_id_id_fk" FOREIGN KEY ("tenant_id","model_id") REFERENCES "public"."models"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_aliases" ADD CONSTRAINT "model_aliases_tenant_id_version_id_model_versions_tenant_id_id_fk" FOREIGN KEY ("tenant_id","version_id") REFERENCES "public"."model_versions"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_tenant_id_model_id_models_tenant_id_id_fk" FOREIGN KEY ("tenant_id","model_id") REFERENCES "public"."models"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_tenant_id_artifact_sha256_model_artifacts_tenant_id_sha256_fk" FOREIGN KEY ("tenant_id","artifact_sha256") REFERENCES "public"."model_artifacts"("tenant_id","sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "models" ADD CONSTRAINT "models_tenant_id_asset_type_id_asset_types_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_type_id") REFERENCES "public"."asset_types"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "model_alias_history_model_idx" ON "model_alias_history" USING btree ("tenant_id","model_id","alias","id");--> statement-breakpoint
CREATE INDEX "model_aliases_version_idx" ON "model_aliases" USING btree ("tenant_id","version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_number_key" ON "model_versions" USING btree ("tenant_id","model_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_run_key" ON "model_versions" USING btree ("tenant_id","run_id");--> statement-breakpoint
CREATE INDEX "model_versions_artifact_idx" ON "model_versions" USING btree ("tenant_id","artifact_sha256");--> statement-breakpoint
CREATE UNIQUE INDEX "models_type_task_key" ON "models" USING btree ("tenant_id","asset_type_id","task");