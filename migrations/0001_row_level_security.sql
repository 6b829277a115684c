-- Row-level security, grants and the narrow security-definer paths.
--
-- Roles (created by whoever provisions the database; scripts/stack does it locally):
--   pdm_owner  owns every table and function, runs migrations, has BYPASSRLS
--   pdm_app    the API: owns nothing, no BYPASSRLS, sees one tenant per transaction
--   pdm_ops    the operators' path across tenants: read-only on tenant data, every use audited
--
-- Every tenant-owned table is secured by pdm_secure_tenant_table, so a new table gets exactly the
-- same policies by one call in its migration.

CREATE OR REPLACE FUNCTION pdm_secure_tenant_table(tbl regclass, key_column text DEFAULT 'tenant_id', app_privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s TO pdm_app USING (%I = current_setting(''app.tenant_id'', true)) WITH CHECK (%I = current_setting(''app.tenant_id'', true))',
    tbl, key_column, key_column);
  EXECUTE format('CREATE POLICY operator_read ON %s FOR SELECT TO pdm_ops USING (true)', tbl);
  EXECUTE format('GRANT %s ON %s TO pdm_app', app_privileges, tbl);
  EXECUTE format('GRANT SELECT ON %s TO pdm_ops', tbl);
END $$;
--> statement-breakpoint
SELECT pdm_secure_tenant_table('tenants', 'id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('memberships');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('invitations');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('api_keys');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('audit_log', 'tenant_id', 'SELECT, INSERT');
--> statement-breakpoint
-- Operators leave a trace in the audit log of the tenant they looked at.
CREATE POLICY operator_audit ON audit_log FOR INSERT TO pdm_ops WITH CHECK (actor_kind = 'operator');
--> statement-breakpoint
GRANT INSERT ON audit_log TO pdm_ops;
--> statement-breakpoint

-- Users are global (one person may belong to several tenants). The API sees a user only as
-- itself or as a member of the tenant of the transaction, and never the password hash.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY user_visibility ON users TO pdm_app
  USING (
    id = current_setting('app.user_id', true)
    OR EXISTS (
      SELECT 1 FROM memberships m
      WHERE m.user_id = users.id AND m.tenant_id = current_setting('app.tenant_id', true)
    )
  )
  WITH CHECK (id = current_setting('app.user_id', true));
--> statement-breakpoint
CREATE POLICY operator_read ON users FOR SELECT TO pdm_ops USING (true);
--> statement-breakpoint
GRANT SELECT (id, email, name, created_at), INSERT, UPDATE (name, password_hash) ON users TO pdm_app;
--> statement-breakpoint
GRANT SELECT (id, email, name, created_at) ON users TO pdm_ops;
--> statement-breakpoint

-- Platform tables: the application role has no access; operators only what their path needs.
ALTER TABLE signing_keys ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE signing_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE operators ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE operators FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY operator_read ON operators FOR SELECT TO pdm_ops USING (true);
--> statement-breakpoint
GRANT SELECT ON operators TO pdm_ops;
--> statement-breakpoint
ALTER TABLE operator_access_log ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE operator_access_log FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY operator_read ON operator_access_log FOR SELECT TO pdm_ops USING (true);
--> statement-breakpoint
CREATE POLICY operator_append ON operator_access_log FOR INSERT TO pdm_ops WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT, INSERT ON operator_access_log TO pdm_ops;
--> statement-breakpoint

-- Security-definer paths: the only ways the API reaches across tenants, each answering one
-- narrow question. They run as pdm_owner; EXECUTE is granted to pdm_app alone.
CREATE FUNCTION auth_find_user_by_email(p_email text)
RETURNS TABLE (id text, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT u.id, u.password_hash FROM users u WHERE u.email = lower(p_email)
$$;
--> statement-breakpoint
CREATE FUNCTION auth_user_tenants(p_user_id text)
RETURNS TABLE (tenant_id text, tenant_name text, role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.tenant_id, t.name, m.role
  FROM memberships m JOIN tenants t ON t.id = m.tenant_id
  WHERE m.user_id = p_user_id
  ORDER BY m.created_at, m.tenant_id
$$;
--> statement-breakpoint
CREATE FUNCTION auth_find_api_key(p_prefix text)
RETURNS TABLE (tenant_id text, id text, secret_hash text, scopes text[], revoked_at timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE api_keys k SET last_used_at = now()
  WHERE k.prefix = p_prefix AND k.revoked_at IS NULL
    AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute');
  SELECT k.tenant_id, k.id, k.secret_hash, k.scopes, k.revoked_at FROM api_keys k WHERE k.prefix = p_prefix
$$;
--> statement-breakpoint
CREATE FUNCTION auth_find_invitation(p_token_hash text)
RETURNS TABLE (tenant_id text, id text, email text, role text, expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT i.tenant_id, i.id, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at
  FROM invitations i WHERE i.token_hash = p_token_hash
$$;
--> statement-breakpoint
CREATE FUNCTION auth_signing_keys()
RETURNS TABLE (id text, alg text, public_jwk jsonb, private_jwk_encrypted text, created_at timestamptz, retire_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT k.id, k.alg, k.public_jwk, k.private_jwk_encrypted, k.created_at, k.retire_at
  FROM signing_keys k WHERE k.retire_at IS NULL OR k.retire_at > now()
  ORDER BY k.created_at DESC, k.id DESC
$$;
--> statement-breakpoint
-- Adds a signing key; keys still active are retired after p_grace, once every token they signed
-- has expired, so a rotation logs nobody out.
CREATE FUNCTION auth_add_signing_key(p_id text, p_alg text, p_public_jwk jsonb, p_private_jwk_encrypted text, p_grace interval, p_only_if_none boolean)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('pdm.signing_keys'));
  IF p_only_if_none AND EXISTS (SELECT 1 FROM signing_keys WHERE retire_at IS NULL) THEN
    RETURN false;
  END IF;
  UPDATE signing_keys SET retire_at = now() + p_grace WHERE retire_at IS NULL;
  INSERT INTO signing_keys (id, alg, public_jwk, private_jwk_encrypted) VALUES (p_id, p_alg, p_public_jwk, p_private_jwk_encrypted);
  RETURN true;
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_user_by_email(text), auth_user_tenants(text), auth_find_api_key(text),
  auth_find_invitation(text), auth_signing_keys(), auth_add_signing_key(text, text, jsonb, text, interval, boolean),
  pdm_secure_tenant_table(regclass, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_user_by_email(text), auth_user_tenants(text), auth_find_api_key(text),
  auth_find_invitation(text), auth_signing_keys(), auth_add_signing_key(text, text, jsonb, text, interval, boolean) TO pdm_app;
