-- Row-level security for the asset model, devices and the usage ledger, and the one narrow path
-- ingest needs before it knows the tenant: finding a device token by its public prefix.
SELECT pdm_secure_tenant_table('asset_types');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('sensors');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('assets');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('devices');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('device_assets');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('device_tokens');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('usage_ledger', 'tenant_id', 'SELECT, INSERT');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('usage_daily', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('asset_activity', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
CREATE FUNCTION ingest_find_device_token(p_prefix text)
RETURNS TABLE (tenant_id text, device_id text, token_id text, secret_hash text, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.tenant_id, k.device_id, k.id, k.secret_hash, k.revoked_at FROM device_tokens k WHERE k.prefix = p_prefix
$$;
--> statement-breakpoint
-- Called only after the secret was verified; at most one write a minute per token.
CREATE FUNCTION ingest_touch_device_token(p_prefix text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE device_tokens k SET last_used_at = now()
  WHERE k.prefix = p_prefix AND k.revoked_at IS NULL
    AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
$$;
--> statement-breakpoint
-- The MQTT bridge knows a device only by its topic: which tenant owns it, and may it write.
CREATE FUNCTION ingest_find_device(p_device_id text)
RETURNS TABLE (tenant_id text, live_tokens int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT d.tenant_id, (SELECT count(*)::int FROM device_tokens k WHERE k.tenant_id = d.tenant_id AND k.device_id = d.id AND k.revoked_at IS NULL)
  FROM devices d WHERE d.id = p_device_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION ingest_find_device_token(text), ingest_touch_device_token(text), ingest_find_device(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION ingest_find_device_token(text), ingest_touch_device_token(text), ingest_find_device(text) TO pdm_app;
