-- Every change that API processes cache is announced on the change feed (channel pdm_changes,
-- src/db/changes.ts) by a trigger on the table that holds it, in the transaction that makes it:
-- the announcement reaches the listeners when that transaction commits and not at all when it
-- rolls back. A trigger rather than a call in each code path also announces what cascades (an
-- asset deleted removes its device links), the operators' commands and SQL run by hand.
-- Postgres drops identical announcements of one transaction, so a statement over many rows
-- announces each device or tenant once.
--
-- Arguments: the change's kind, then pairs of (field of the change, column of the row).
CREATE FUNCTION pdm_announce_change()
RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
  v_row jsonb := CASE WHEN TG_LEVEL = 'ROW' THEN to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) END;
  v_change jsonb := jsonb_build_object('kind', TG_ARGV[0]);
  v_i int := 1;
BEGIN
  WHILE v_i + 1 < TG_NARGS LOOP
    v_change := v_change || jsonb_build_object(TG_ARGV[v_i], v_row -> TG_ARGV[v_i + 1]);
    v_i := v_i + 2;
  END LOOP;
  PERFORM pg_notify('pdm_changes', v_change::text);
  RETURN NULL;
END $$;
--> statement-breakpoint

-- A device's write scope: its assets, their types and sensors.
CREATE TRIGGER device_assets_announce AFTER INSERT OR UPDATE OR DELETE ON device_assets
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id', 'deviceId', 'device_id');
--> statement-breakpoint
CREATE TRIGGER devices_announce AFTER DELETE ON devices
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id', 'deviceId', 'id');
--> statement-breakpoint
CREATE TRIGGER device_tokens_announce_revoked AFTER UPDATE ON device_tokens
  FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
  EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id', 'deviceId', 'device_id');
--> statement-breakpoint
CREATE TRIGGER device_tokens_announce_deleted AFTER DELETE ON device_tokens
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id', 'deviceId', 'device_id');
--> statement-breakpoint
-- Sensors, asset types and assets are shared by the tenant's devices: every device of the tenant.
CREATE TRIGGER sensors_announce AFTER INSERT OR UPDATE OR DELETE ON sensors
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id');
--> statement-breakpoint
CREATE TRIGGER asset_types_announce_key AFTER UPDATE ON asset_types
  FOR EACH ROW WHEN (OLD.key IS DISTINCT FROM NEW.key)
  EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id');
--> statement-breakpoint
CREATE TRIGGER asset_types_announce_deleted AFTER DELETE ON asset_types
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id');
--> statement-breakpoint
CREATE TRIGGER assets_announce_identity AFTER UPDATE ON assets
  FOR EACH ROW WHEN ((OLD.external_id, OLD.asset_type_id) IS DISTINCT FROM (NEW.external_id, NEW.asset_type_id))
  EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id');
--> statement-breakpoint
CREATE TRIGGER assets_announce_deleted AFTER DELETE ON assets
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('device', 'tenantId', 'tenant_id');
--> statement-breakpoint

-- The tenant's retention, own quota and status; its billing status and plan.
CREATE TRIGGER tenants_announce_limits AFTER UPDATE ON tenants
  FOR EACH ROW WHEN ((OLD.retention_days, OLD.daily_point_quota, OLD.status) IS DISTINCT FROM (NEW.retention_days, NEW.daily_point_quota, NEW.status))
  EXECUTE FUNCTION pdm_announce_change('tenant', 'tenantId', 'id');
--> statement-breakpoint
CREATE TRIGGER tenants_announce_deleted AFTER DELETE ON tenants
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('tenant', 'tenantId', 'id');
--> statement-breakpoint
CREATE TRIGGER billing_accounts_announce_status AFTER UPDATE ON billing_accounts
  FOR EACH ROW WHEN ((OLD.plan_id, OLD.subscription_status, OLD.past_due_since, OLD.cancelled_at)
    IS DISTINCT FROM (NEW.plan_id, NEW.subscription_status, NEW.past_due_since, NEW.cancelled_at))
  EXECUTE FUNCTION pdm_announce_change('tenant', 'tenantId', 'tenant_id');
--> statement-breakpoint
CREATE TRIGGER billing_accounts_announce_added AFTER INSERT OR DELETE ON billing_accounts
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('tenant', 'tenantId', 'tenant_id');
--> statement-breakpoint
-- A plan's limits (every tenant on it; the default plan's: every tenant without a subscription).
CREATE TRIGGER plans_announce AFTER INSERT OR UPDATE OR DELETE ON plans
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('plan', 'planId', 'id');
--> statement-breakpoint

-- Signing keys added, retired or removed; API keys revoked or narrowed.
CREATE TRIGGER signing_keys_announce AFTER INSERT OR UPDATE OR DELETE ON signing_keys
  FOR EACH STATEMENT EXECUTE FUNCTION pdm_announce_change('signing-keys');
--> statement-breakpoint
CREATE TRIGGER api_keys_announce_revoked AFTER UPDATE ON api_keys
  FOR EACH ROW WHEN ((OLD.revoked_at, OLD.scopes) IS DISTINCT FROM (NEW.revoked_at, NEW.scopes))
  EXECUTE FUNCTION pdm_announce_change('api-key', 'tenantId', 'tenant_id', 'keyId', 'id');
--> statement-breakpoint
CREATE TRIGGER api_keys_announce_deleted AFTER DELETE ON api_keys
  FOR EACH ROW EXECUTE FUNCTION pdm_announce_change('api-key', 'tenantId', 'tenant_id', 'keyId', 'id');
--> statement-breakpoint

-- Automatic persisted queries, shared by every API process: a query registered through one is
-- answered by all. A ring of slots bounds the table: a new query takes the next slot and
-- replaces the oldest one there, so the table never holds more than the API's maximum (and a
-- query more than its size limit is never stored). A query is stored only under its own
-- SHA-256, so nobody can make a hash answer another query. UNLOGGED: after a crash clients
-- register their queries again, which APQ does by itself. Reached only through the functions
-- below (RLS forced, no policy for any application role).
CREATE UNLOGGED TABLE "graphql_persisted_queries" (
	"slot" integer PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"query" text NOT NULL,
	"stored_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "graphql_persisted_queries_hash_key" UNIQUE ("hash")
);
--> statement-breakpoint
ALTER TABLE graphql_persisted_queries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE graphql_persisted_queries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE SEQUENCE graphql_persisted_query_slots AS bigint;
--> statement-breakpoint
CREATE FUNCTION graphql_persisted_query(p_hash text)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT q.query FROM graphql_persisted_queries q
  WHERE q.hash = p_hash AND (q.expires_at IS NULL OR q.expires_at > now())
$$;
--> statement-breakpoint
-- Stores a query under its SHA-256 (hex) in the next of p_max_entries slots; answers whether it
-- was stored (false: the hash is not the query's, the query is over p_max_bytes, or it is known).
CREATE FUNCTION graphql_persist_query(p_hash text, p_query text, p_ttl_seconds int, p_max_entries int, p_max_bytes int)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_slot int;
BEGIN
  IF p_max_entries < 1 OR octet_length(p_query) > p_max_bytes
    OR p_hash IS DISTINCT FROM encode(sha256(convert_to(p_query, 'UTF8')), 'hex') THEN
    RETURN false;
  END IF;
  IF EXISTS (SELECT 1 FROM graphql_persisted_queries WHERE hash = p_hash AND (expires_at IS NULL OR expires_at > now())) THEN
    RETURN false;
  END IF;
  v_slot := nextval('graphql_persisted_query_slots') % p_max_entries;
  -- A smaller maximum than before: the slots beyond it go.
  DELETE FROM graphql_persisted_queries WHERE slot >= p_max_entries;
  -- An expired copy of the same query elsewhere gives way to the new one.
  DELETE FROM graphql_persisted_queries WHERE hash = p_hash AND slot <> v_slot;
  INSERT INTO graphql_persisted_queries AS q (slot, hash, query, stored_at, expires_at)
  VALUES (v_slot, p_hash, p_query, now(), CASE WHEN p_ttl_seconds > 0 THEN now() + make_interval(secs => p_ttl_seconds) END)
  ON CONFLICT (slot) DO UPDATE SET hash = excluded.hash, query = excluded.query, stored_at = excluded.stored_at,
    expires_at = excluded.expires_at;
  RETURN true;
EXCEPTION WHEN unique_violation THEN
  -- The same query stored by another process at the same moment.
  RETURN false;
END $$;
--> statement-breakpoint
CREATE FUNCTION graphql_forget_persisted_query(p_hash text)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH gone AS (DELETE FROM graphql_persisted_queries WHERE hash = p_hash RETURNING 1)
  SELECT count(*) > 0 FROM gone
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION graphql_persisted_query(text), graphql_persist_query(text, text, int, int, int),
  graphql_forget_persisted_query(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION graphql_persisted_query(text), graphql_persist_query(text, text, int, int, int),
  graphql_forget_persisted_query(text) TO pdm_app;
