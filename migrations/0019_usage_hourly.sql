-- Usage totals move from days to hours (quotas sum a day of hours; the Stripe sync reports hours).
-- The hourly totals are rebuilt from the ledger, the source of truth, before the daily ones go.
INSERT INTO "usage_hourly" ("tenant_id", "meter", "hour", "quantity")
SELECT "tenant_id", "meter", date_trunc('hour', "occurred_at"), sum("quantity")
FROM "usage_ledger"
GROUP BY "tenant_id", "meter", date_trunc('hour', "occurred_at");
--> statement-breakpoint
DROP TABLE "usage_daily" CASCADE;
