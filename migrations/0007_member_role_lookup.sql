-- A member's role in one round trip, for building the caller of every request: the same answer
-- the memberships policy would give inside a tenant transaction, without opening one.
CREATE FUNCTION auth_member_role(p_tenant_id text, p_user_id text)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT m.role FROM memberships m WHERE m.tenant_id = p_tenant_id AND m.user_id = p_user_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_member_role(text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_member_role(text, text) TO pdm_app;
