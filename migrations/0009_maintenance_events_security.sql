-- Row-level security for maintenance events: recorded and read, never changed by the API.
SELECT pdm_secure_tenant_table('maintenance_events', 'tenant_id', 'SELECT, INSERT');
