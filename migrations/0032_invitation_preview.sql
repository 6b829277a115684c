-- What the page an invitation link opens shows before anyone types a password: the company's
-- name, the address and role invited, whether the invitation is still open, and whether that
-- address already has an account (to ask for its password rather than a new one). Reached with
-- the token's hash only, like auth_find_invitation.
CREATE FUNCTION auth_describe_invitation(p_token_hash text)
RETURNS TABLE (tenant_name text, email text, role text, expires_at timestamptz, accepted_at timestamptz, revoked_at timestamptz, has_account boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.name, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at,
         EXISTS (SELECT 1 FROM users u WHERE u.email = i.email)
  FROM invitations i JOIN tenants t ON t.id = i.tenant_id
  WHERE i.token_hash = p_token_hash
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_describe_invitation(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_describe_invitation(text) TO pdm_app;
