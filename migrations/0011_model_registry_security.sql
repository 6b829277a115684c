-- Row-level security for the model registry. Versions, artifacts and alias history are
-- append-only for the API; models are locked (FOR UPDATE) while a version number is handed out.
SELECT pdm_secure_tenant_table('models', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('model_artifacts', 'tenant_id', 'SELECT, INSERT');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('model_versions', 'tenant_id', 'SELECT, INSERT');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('model_aliases', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('model_alias_history', 'tenant_id', 'SELECT, INSERT');
