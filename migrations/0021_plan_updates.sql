ALTER TABLE "plans" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
-- A tenant's telemetry retention follows its plan: the verified Stripe webhook, running in the
-- tenant's own transaction, sets it.
GRANT UPDATE (retention_days) ON tenants TO pdm_app;
