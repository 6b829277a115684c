-- A plan's series budget: how many distinct series (measurement + tag set) a tenant may create in
-- its telemetry database. Null: the platform default (src/telemetry/series.ts). The cap keeps every
-- budget below InfluxDB's max-values-per-tag (100,000), so no tag can reach that limit either.
ALTER TABLE "plans" ADD COLUMN "max_series" integer;
--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_max_series_range" CHECK ("max_series" IS NULL OR "max_series" BETWEEN 1 AND 90000);
--> statement-breakpoint
-- The series a tenant has written, by a hash of measurement and sorted tag set, inserted in the
-- transaction that wraps the write; the count per tenant is kept next to them.
CREATE TABLE "telemetry_series" (
	"tenant_id" text NOT NULL,
	"series_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "telemetry_series_tenant_id_series_hash_pk" PRIMARY KEY("tenant_id","series_hash")
);
--> statement-breakpoint
ALTER TABLE "telemetry_series" ADD CONSTRAINT "telemetry_series_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE TABLE "telemetry_series_counts" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"series" bigint NOT NULL,
	CONSTRAINT "telemetry_series_counts_non_negative" CHECK ("series" >= 0)
);
--> statement-breakpoint
ALTER TABLE "telemetry_series_counts" ADD CONSTRAINT "telemetry_series_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
SELECT pdm_secure_tenant_table('telemetry_series', 'tenant_id', 'SELECT, INSERT');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('telemetry_series_counts', 'tenant_id', 'SELECT, INSERT, UPDATE');
