-- GraphQL cost points per minute of a plan's members and API keys; null: the API's default
-- (GRAPHQL_COST_PER_MINUTE).
ALTER TABLE "plans" ADD COLUMN "graphql_cost_per_minute" integer;
--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_graphql_cost_positive" CHECK (coalesce("graphql_cost_per_minute", 1) >= 1);
--> statement-breakpoint
-- GraphQL rate limiting: one leaky bucket per caller (API key, member, operator, client
-- address), shared by every API process. UNLOGGED: after a crash the buckets start empty, which
-- only forgives a minute of spending. Reached only through the functions below (RLS forced, no
-- policy for any application role).
CREATE UNLOGGED TABLE "graphql_cost_buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"level" double precision NOT NULL,
	"capacity" integer NOT NULL,
	"refused" boolean NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE graphql_cost_buckets ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE graphql_cost_buckets FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Charges p_cost points to the bucket p_key in one round trip (one write statement): the bucket holds a minute's points
-- (the tenant's plan, else p_default_per_minute) and leaks them at capacity/60 per second. A cost
-- that does not fit is refused and nothing is charged; a cost above the capacity needs an empty
-- bucket. Parallel charges of one key queue on its row, so none can slip past.
CREATE FUNCTION graphql_cost_charge(p_key text, p_tenant_id text, p_cost int, p_default_per_minute int)
RETURNS TABLE (allowed boolean, capacity int, level double precision, retry_after_seconds int)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
-- plpgsql rather than sql: its statement plans are kept per session, so a charge is not planned anew.
DECLARE
  v_cap int;
  v_cost double precision;
BEGIN
  SELECT greatest(1, coalesce((
    SELECT p.graphql_cost_per_minute FROM billing_accounts b JOIN plans p ON p.id = b.plan_id
    WHERE b.tenant_id = p_tenant_id
  ), p_default_per_minute)) INTO v_cap;
  v_cost := least(greatest(p_cost, 0), v_cap);
  RETURN QUERY
  WITH charged AS (
    INSERT INTO graphql_cost_buckets AS b (key, level, capacity, refused, updated_at)
    VALUES (p_key, v_cost, v_cap, false, clock_timestamp())
    ON CONFLICT (key) DO UPDATE SET
      level = CASE
        WHEN greatest(0, b.level - extract(epoch FROM clock_timestamp() - b.updated_at) * v_cap / 60.0) + v_cost <= v_cap
        THEN greatest(0, b.level - extract(epoch FROM clock_timestamp() - b.updated_at) * v_cap / 60.0) + v_cost
        ELSE greatest(0, b.level - extract(epoch FROM clock_timestamp() - b.updated_at) * v_cap / 60.0)
      END,
      refused = greatest(0, b.level - extract(epoch FROM clock_timestamp() - b.updated_at) * v_cap / 60.0) + v_cost > v_cap,
      capacity = v_cap,
      updated_at = clock_timestamp()
    RETURNING b.level, b.refused
  )
  SELECT NOT c.refused, v_cap, c.level,
    CASE WHEN c.refused THEN greatest(1, ceil((c.level + v_cost - v_cap) / (v_cap / 60.0)))::int ELSE 0 END
  FROM charged c;
END
$$;
--> statement-breakpoint
-- Gives back points charged for a request whose answer cost less than requested.
CREATE FUNCTION graphql_cost_refund(p_key text, p_points int)
RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE graphql_cost_buckets SET level = greatest(0, level - greatest(p_points, 0)) WHERE key = p_key
$$;
--> statement-breakpoint
-- Forgets buckets idle for longer than they take to empty (at most a minute): called now and then.
CREATE FUNCTION graphql_cost_forget_idle()
RETURNS int
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH gone AS (DELETE FROM graphql_cost_buckets WHERE updated_at < now() - interval '2 minutes' RETURNING 1)
  SELECT count(*)::int FROM gone
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION graphql_cost_charge(text, text, int, int), graphql_cost_refund(text, int), graphql_cost_forget_idle() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION graphql_cost_charge(text, text, int, int), graphql_cost_refund(text, int), graphql_cost_forget_idle() TO pdm_app;
