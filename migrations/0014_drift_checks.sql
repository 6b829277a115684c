CREATE TABLE "drift_checks" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"asset_type_id" text NOT NULL,
	"model_version_id" text NOT NULL,
	"threshold" double precision NOT NULL,
	"window_hours" integer NOT NULL,
	"psi" jsonb NOT NULL,
	"drifted" jsonb NOT NULL,
	"recent_values" integer NOT NULL,
	"training_run_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drift_checks_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "drift_checks" ADD CONSTRAINT "drift_checks_tenant_id_asset_type_id_asset_types_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_type_id") REFERENCES "public"."asset_types"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "drift_checks_type_idx" ON "drift_checks" USING btree ("tenant_id","asset_type_id","created_at");