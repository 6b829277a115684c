-- Pre-aggregated hourly meters (event_time_window: hour): each Stripe meter gets a twin whose events
-- carry an hour's running total, Stripe keeping the newest event per hour and customer. A tenant
-- switches at an hour boundary (billing_accounts.hourly_meters_from): earlier hours stay on the
-- per-event meters with their history, later ones go to the twins, so no hour is counted on both.
ALTER TABLE "billing_accounts" ADD COLUMN "hourly_meters_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stripe_meters" ADD COLUMN "hourly_event_name" text;--> statement-breakpoint
ALTER TABLE "stripe_meters" ADD COLUMN "hourly_stripe_meter_id" text;--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD CONSTRAINT "billing_accounts_hourly_meters_from_hour" CHECK (date_trunc('hour', "billing_accounts"."hourly_meters_from") = "billing_accounts"."hourly_meters_from");
