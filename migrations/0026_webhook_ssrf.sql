-- Webhook deliveries record the outcome class of their last attempt, the only thing the tenant is
-- shown; the target's raw status stays for support. Earlier rows get their class from what was
-- stored, and their raw error text (which could name addresses) is dropped.
ALTER TABLE "webhook_deliveries" ADD COLUMN "last_outcome" text;
--> statement-breakpoint
UPDATE "webhook_deliveries" SET "last_outcome" = CASE
    WHEN "last_status_code" BETWEEN 200 AND 299 THEN 'DELIVERED'
    WHEN "last_status_code" BETWEEN 300 AND 399 THEN 'REDIRECTED'
    WHEN "last_status_code" BETWEEN 400 AND 499 THEN 'REJECTED'
    WHEN "last_status_code" IS NOT NULL THEN 'FAILED'
    WHEN "last_error" ILIKE '%timeout%' OR "last_error" ILIKE '%aborted%' THEN 'TIMEOUT'
    ELSE 'UNREACHABLE'
  END, "last_error" = NULL
WHERE "attempts" > 0;
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_last_outcome_valid" CHECK ("webhook_deliveries"."last_outcome" in ('DELIVERED','REDIRECTED','REJECTED','FAILED','TIMEOUT','UNREACHABLE','BLOCKED_ADDRESS'));
