-- Row-level security for alerts and webhooks. Alerts change status (acknowledged, resolved);
-- webhooks are disabled, never deleted, so their deliveries keep their history.
SELECT pdm_secure_tenant_table('alert_rules', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('alerts', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('webhooks', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('webhook_deliveries', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
-- The operators' role reads webhooks' rows for the support inbox, but never their secrets.
REVOKE SELECT ON webhooks FROM pdm_ops;
--> statement-breakpoint
GRANT SELECT (tenant_id, id, url, created_at, disabled_at) ON webhooks TO pdm_ops;
