-- Meter reports that no invoice can include: the usage sync sets them aside as 'unbillable' with a
-- reason (too_old, before_subscription, customer_deleted) and never sends them (again). The
-- subscription's start (Stripe's start_date) decides which hours lie before it.
ALTER TABLE "meter_reports" ADD COLUMN "unbillable_reason" text;
--> statement-breakpoint
ALTER TABLE "meter_reports" DROP CONSTRAINT "meter_reports_state_valid";
--> statement-breakpoint
ALTER TABLE "meter_reports" ADD CONSTRAINT "meter_reports_state_valid" CHECK ("meter_reports"."state" in ('pending','sent','confirmed','rejected','unbillable'));
--> statement-breakpoint
ALTER TABLE "meter_reports" ADD CONSTRAINT "meter_reports_unbillable_reason_valid" CHECK (("meter_reports"."state" = 'unbillable') = ("meter_reports"."unbillable_reason" is not null) and ("meter_reports"."unbillable_reason" is null or "meter_reports"."unbillable_reason" in ('too_old','before_subscription','customer_deleted')));
--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD COLUMN "subscription_started_at" timestamp with time zone;
--> statement-breakpoint
-- The sync's work list leaves unbillable reports out: nothing is left to do for them.
CREATE OR REPLACE FUNCTION billing_tenants_to_sync(p_before timestamptz)
RETURNS TABLE (tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT b.tenant_id FROM billing_accounts b
  WHERE b.stripe_customer_id IS NOT NULL AND (
    EXISTS (SELECT 1 FROM usage_hourly h WHERE h.tenant_id = b.tenant_id AND h.quantity > h.reported AND h.hour < p_before)
    OR EXISTS (SELECT 1 FROM meter_reports r WHERE r.tenant_id = b.tenant_id AND r.state IN ('pending', 'sent'))
  )
  ORDER BY b.tenant_id
$$;
