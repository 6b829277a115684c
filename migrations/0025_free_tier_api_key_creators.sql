-- The free tier: one plan is the default, the plan of every tenant without a live subscription.
-- It is not sold through Stripe (no product, no prices, no checkout); its limits are small enough
-- that an account nobody pays for gets no meaningful compute.
ALTER TABLE "plans" ADD COLUMN "is_default" boolean DEFAULT false NOT NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "plans_one_default" ON "plans" USING btree ("is_default") WHERE "plans"."is_default";
--> statement-breakpoint
INSERT INTO plans (id, code, name, currency, base_amount, points_amount_per_1000, prediction_amount, training_run_amount,
  points_per_day, predictions_per_day, training_runs_per_day, max_assets, max_models, retention_days, active, is_default)
VALUES ('plan_free', 'free', 'Free', 'eur', 0, 0, 0, 0, 20000, 50, 2, 5, 1, 30, true, true)
ON CONFLICT (code) DO UPDATE SET is_default = true;
--> statement-breakpoint

-- An API key acts for the member who created it, never beyond what that member may do now: the
-- lookup follows the key's creator (through keys created by keys, at most 8 deep) to a member and
-- answers the scopes the chain allows and the member's current role, in the same round trip.
-- A revoked key on the way, or a creator who left the tenant, answers no role.
DROP FUNCTION auth_find_api_key(text);
--> statement-breakpoint
CREATE FUNCTION auth_find_api_key(p_prefix text)
RETURNS TABLE (tenant_id text, id text, secret_hash text, scopes text[], revoked_at timestamptz, creator_role text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH RECURSIVE chain AS (
    SELECT k.tenant_id, k.created_by, k.scopes, 0 AS depth, false AS broken
    FROM api_keys k WHERE k.prefix = p_prefix
    UNION ALL
    SELECT c.tenant_id, p.created_by, ARRAY(SELECT unnest(c.scopes) INTERSECT SELECT unnest(p.scopes)), c.depth + 1,
      p.revoked_at IS NOT NULL
    FROM chain c JOIN api_keys p ON p.tenant_id = c.tenant_id AND p.id = c.created_by
    WHERE c.depth < 8 AND NOT c.broken
  ),
  last AS (SELECT * FROM chain ORDER BY depth DESC LIMIT 1)
  SELECT k.tenant_id, k.id, k.secret_hash, l.scopes, k.revoked_at,
    CASE WHEN l.broken THEN NULL ELSE m.role END
  FROM api_keys k
  JOIN last l ON true
  LEFT JOIN memberships m ON m.tenant_id = k.tenant_id AND m.user_id = l.created_by
  WHERE k.prefix = p_prefix
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION auth_find_api_key(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION auth_find_api_key(text) TO pdm_app;
