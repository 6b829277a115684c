-- Row-level security for drift checks: recorded by the drift watch, read by the tenant.
SELECT pdm_secure_tenant_table('drift_checks', 'tenant_id', 'SELECT, INSERT');
