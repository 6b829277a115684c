CREATE TABLE "maintenance_events" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"asset_id" text NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "maintenance_events_kind_valid" CHECK ("maintenance_events"."kind" in ('failure','repair','inspection'))
);
--> statement-breakpoint
ALTER TABLE "maintenance_events" ADD CONSTRAINT "maintenance_events_tenant_id_asset_id_assets_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_id") REFERENCES "public"."assets"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "maintenance_events_asset_time_idx" ON "maintenance_events" USING btree ("tenant_id","asset_id","occurred_at");--> statement-breakpoint
CREATE INDEX "maintenance_events_time_idx" ON "maintenance_events" USING btree ("tenant_id","occurred_at");