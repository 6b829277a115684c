-- Row-level security for training runs (their status is updated as the workflow goes) and for
-- stored predictions (append-only).
SELECT pdm_secure_tenant_table('training_runs', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('asset_predictions', 'tenant_id', 'SELECT, INSERT');
