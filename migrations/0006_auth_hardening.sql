-- Narrower grants and race-free sign-in throttling.

-- Throttling counts an attempt before the password is checked, in one statement, so parallel
-- attempts cannot all slip past the limit. Answers the seconds to wait, 0 when allowed.
CREATE FUNCTION auth_throttle_attempt(p_key text, p_limit int, p_window interval)
RETURNS int
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_failures int;
  v_start timestamptz;
BEGIN
  INSERT INTO auth_throttle AS t (key, failures, window_start) VALUES (p_key, 1, now())
  ON CONFLICT (key) DO UPDATE SET
    failures = CASE WHEN t.window_start + p_window > now() THEN t.failures + 1 ELSE 1 END,
    window_start = CASE WHEN t.window_start + p_window > now() THEN t.window_start ELSE now() END
  RETURNING failures, window_start INTO v_failures, v_start;
  IF v_failures > p_limit THEN
    RETURN greatest(1, ceil(extract(epoch FROM (v_start + p_window - now())))::int);
  END IF;
  RETURN 0;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_throttle_attempt(text, int, interval) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_throttle_attempt(text, int, interval) TO pdm_app, pdm_ops;
--> statement-breakpoint
DROP FUNCTION auth_throttle_wait(text, int, interval);
--> statement-breakpoint
DROP FUNCTION auth_throttle_fail(text, interval);
--> statement-breakpoint

-- Rotation belongs to the owner (a provisioning command). The API may only create the first key.
REVOKE EXECUTE ON FUNCTION auth_add_signing_key(text, text, jsonb, text, interval, boolean) FROM pdm_app;
--> statement-breakpoint
CREATE FUNCTION auth_create_first_signing_key(p_id text, p_alg text, p_public_jwk jsonb, p_private_jwk_encrypted text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('pdm.signing_keys'));
  IF EXISTS (SELECT 1 FROM signing_keys WHERE retire_at IS NULL) THEN
    RETURN false;
  END IF;
  INSERT INTO signing_keys (id, alg, public_jwk, private_jwk_encrypted) VALUES (p_id, p_alg, p_public_jwk, p_private_jwk_encrypted);
  RETURN true;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_create_first_signing_key(text, text, jsonb, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_create_first_signing_key(text, text, jsonb, text) TO pdm_app;
--> statement-breakpoint

-- An API key's last use is recorded only after its secret was verified.
CREATE OR REPLACE FUNCTION auth_find_api_key(p_prefix text)
RETURNS TABLE (tenant_id text, id text, secret_hash text, scopes text[], revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.tenant_id, k.id, k.secret_hash, k.scopes, k.revoked_at FROM api_keys k WHERE k.prefix = p_prefix
$$;
--> statement-breakpoint
CREATE FUNCTION auth_touch_api_key(p_prefix text)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE api_keys k SET last_used_at = now()
  WHERE k.prefix = p_prefix AND k.revoked_at IS NULL
    AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_touch_api_key(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_touch_api_key(text) TO pdm_app;
--> statement-breakpoint

-- Column grants: the API may rename a tenant, nothing else (status, retention and quotas are
-- the platform's); operators never read secret hashes.
REVOKE UPDATE ON tenants FROM pdm_app;
--> statement-breakpoint
GRANT UPDATE (name) ON tenants TO pdm_app;
--> statement-breakpoint
REVOKE SELECT ON api_keys FROM pdm_ops;
--> statement-breakpoint
GRANT SELECT (tenant_id, id, name, prefix, scopes, created_by, created_at, last_used_at, revoked_at) ON api_keys TO pdm_ops;
--> statement-breakpoint
REVOKE SELECT ON invitations FROM pdm_ops;
--> statement-breakpoint
GRANT SELECT (tenant_id, id, email, role, invited_by, expires_at, accepted_at, revoked_at, created_at) ON invitations TO pdm_ops;
--> statement-breakpoint
REVOKE SELECT ON device_tokens FROM pdm_ops;
--> statement-breakpoint
GRANT SELECT (tenant_id, id, device_id, prefix, created_at, last_used_at, revoked_at) ON device_tokens TO pdm_ops;
