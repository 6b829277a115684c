-- Hourly rollups of telemetry (src/telemetry/rollup-*.ts): InfluxDB keeps min, max, sum and count
-- per series, hour and numeric sensor in the measurement "<type key>:1h" of the tenant's database;
-- this table holds the hours whose rollups may be stale. Every ingest batch inserts its hours
-- after its write; the rollup step recomputes them from the raw points and deletes the rows it read.
CREATE TABLE "telemetry_dirty_hours" (
	"tenant_id" text NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "telemetry_dirty_hours_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"measurement" text NOT NULL,
	"first_hour" timestamp with time zone NOT NULL,
	"last_hour" timestamp with time zone NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "telemetry_dirty_hours_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "telemetry_dirty_hours_order" CHECK ("telemetry_dirty_hours"."first_hour" <= "telemetry_dirty_hours"."last_hour")
);
--> statement-breakpoint
ALTER TABLE "telemetry_dirty_hours" ADD CONSTRAINT "telemetry_dirty_hours_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "telemetry_dirty_hours_measurement_idx" ON "telemetry_dirty_hours" USING btree ("tenant_id","measurement","first_hour");
--> statement-breakpoint
SELECT pdm_secure_tenant_table('telemetry_dirty_hours', 'tenant_id', 'SELECT, INSERT, DELETE');
--> statement-breakpoint
-- The rollup step's one cross-tenant question: which tenants and measurements have stale hours
-- that have settled (ended five minutes ago: SETTLE_MS), the longest-waiting first. It answers names only; the rows are read in the tenant's transaction.
CREATE FUNCTION telemetry_rollup_work(p_limit integer)
RETURNS TABLE (tenant_id text, measurement text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT d.tenant_id, d.measurement FROM telemetry_dirty_hours d
  WHERE d.last_hour < now() - interval '65 minutes'
  GROUP BY d.tenant_id, d.measurement
  ORDER BY min(d.marked_at), d.tenant_id, d.measurement
  LIMIT least(greatest(p_limit, 1), 1000)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION telemetry_rollup_work(integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION telemetry_rollup_work(integer) TO pdm_app;
--> statement-breakpoint
-- Telemetry written before this migration has no rollups: every measurement of every tenant is
-- marked stale over its retention (plus a week: InfluxDB drops whole shard groups, so raw points
-- outlive the retention by up to their group's length; hours in UTC whatever the session's zone) (and the hour ahead that ingest accepts; the hours that have not
-- settled as a row of their own), so the rollup step builds them and no read uses a rollup before.
INSERT INTO "telemetry_dirty_hours" ("tenant_id", "measurement", "first_hour", "last_hour")
SELECT at.tenant_id, at.key, span.first_hour, span.last_hour
FROM asset_types at JOIN tenants t ON t.id = at.tenant_id
CROSS JOIN LATERAL (VALUES
  (date_trunc('hour', now() - make_interval(days => t.retention_days + 8), 'UTC'), date_trunc('hour', now(), 'UTC') - interval '2 hours'),
  (date_trunc('hour', now(), 'UTC') - interval '1 hour', date_trunc('hour', now(), 'UTC') + interval '2 hours')
) AS span(first_hour, last_hour);
