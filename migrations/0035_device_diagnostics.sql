-- Per device, what the ingest path saw (src/telemetry/diagnostics.ts): batches and points accepted
-- and refused, the last write over HTTP and over MQTT, and the last refusal with its reason. One row
-- per device, upserted with increments: an accepted batch in its ledger transaction (its last
-- statement, so the row is locked only for the commit), a refused one in a transaction of its own.
CREATE TABLE "device_diagnostics" (
	"tenant_id" text NOT NULL,
	"device_id" text NOT NULL,
	"accepted_batches" bigint DEFAULT 0 NOT NULL,
	"accepted_points" bigint DEFAULT 0 NOT NULL,
	"refused_batches" bigint DEFAULT 0 NOT NULL,
	"refused_points" bigint DEFAULT 0 NOT NULL,
	"last_http_at" timestamp with time zone,
	"last_mqtt_at" timestamp with time zone,
	"last_refused_at" timestamp with time zone,
	"last_refusal_protocol" text,
	"last_refusal_code" text,
	"last_refusal_message" text,
	"last_refusal_line" integer,
	CONSTRAINT "device_diagnostics_tenant_id_device_id_pk" PRIMARY KEY("tenant_id","device_id"),
	CONSTRAINT "device_diagnostics_protocol_valid" CHECK ("device_diagnostics"."last_refusal_protocol" in ('http','mqtt'))
);
--> statement-breakpoint
ALTER TABLE "device_diagnostics" ADD CONSTRAINT "device_diagnostics_tenant_id_device_id_devices_tenant_id_id_fk" FOREIGN KEY ("tenant_id","device_id") REFERENCES "public"."devices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
SELECT pdm_secure_tenant_table('device_diagnostics', 'tenant_id', 'SELECT, INSERT, UPDATE');
