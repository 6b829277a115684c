-- Stripe processes meter events after accepting them and reports the invalid ones in an error
-- report (v1.billing.meter.error_report_triggered). A report it names becomes 'rejected' with
-- Stripe's reason; the event's id is kept so the same event delivered again changes nothing.
-- Rejected reports are no longer open: the sync does not send them again.
ALTER TABLE "meter_reports" DROP CONSTRAINT "meter_reports_state_valid";--> statement-breakpoint
DROP INDEX "meter_reports_open_idx";--> statement-breakpoint
ALTER TABLE "meter_reports" ADD COLUMN "rejected_reason" text;--> statement-breakpoint
ALTER TABLE "meter_reports" ADD COLUMN "rejected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meter_reports" ADD COLUMN "rejected_by_event" text;--> statement-breakpoint
CREATE INDEX "meter_reports_open_idx" ON "meter_reports" USING btree ("tenant_id","created_at") WHERE "meter_reports"."state" in ('pending','sent');--> statement-breakpoint
ALTER TABLE "meter_reports" ADD CONSTRAINT "meter_reports_state_valid" CHECK ("meter_reports"."state" in ('pending','sent','confirmed','rejected'));
--> statement-breakpoint

-- An error report names meter events by their identifiers, not a customer: this answers whose
-- reports they are (the table itself stays under FORCE RLS), so each is changed in its tenant's scope.
CREATE FUNCTION billing_tenants_of_meter_reports(p_identifiers text[])
RETURNS TABLE (tenant_id text, identifier text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT r.tenant_id, r.identifier FROM meter_reports r WHERE r.identifier = ANY(p_identifiers)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION billing_tenants_of_meter_reports(text[]) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION billing_tenants_of_meter_reports(text[]) TO pdm_app;
--> statement-breakpoint

-- The sync's work list: open reports are the pending and sent ones (a rejected one is never resent).
CREATE OR REPLACE FUNCTION billing_tenants_to_sync(p_before timestamptz)
RETURNS TABLE (tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT b.tenant_id FROM billing_accounts b
  WHERE b.stripe_customer_id IS NOT NULL AND (
    EXISTS (SELECT 1 FROM usage_hourly h WHERE h.tenant_id = b.tenant_id AND h.quantity > h.reported AND h.hour < p_before)
    OR EXISTS (SELECT 1 FROM meter_reports r WHERE r.tenant_id = b.tenant_id AND r.state IN ('pending','sent'))
  )
  ORDER BY b.tenant_id
$$;
