-- Row-level security for billing, and the narrow paths that cross tenants for it.
--
-- Tenant tables: the API reads and writes them inside one tenant's transaction. The ledger stays
-- append-only; hourly totals and reports only grow or change state.
SELECT pdm_secure_tenant_table('usage_hourly', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('meter_reports', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('billing_accounts', 'tenant_id', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT pdm_secure_tenant_table('stripe_events', 'tenant_id', 'SELECT, INSERT');
--> statement-breakpoint

-- Platform tables. Everyone signed in may read the plans (to choose one); the operators manage
-- them and run the catalogue sync, which records the Stripe ids.
ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE plans FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY app_read ON plans FOR SELECT TO pdm_app USING (true);
--> statement-breakpoint
CREATE POLICY operator_manage ON plans TO pdm_ops USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON plans TO pdm_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON plans TO pdm_ops;
--> statement-breakpoint
ALTER TABLE stripe_products ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE stripe_products FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY app_read ON stripe_products FOR SELECT TO pdm_app USING (true);
--> statement-breakpoint
CREATE POLICY operator_manage ON stripe_products TO pdm_ops USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON stripe_products TO pdm_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON stripe_products TO pdm_ops;
--> statement-breakpoint
ALTER TABLE stripe_prices ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE stripe_prices FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY app_read ON stripe_prices FOR SELECT TO pdm_app USING (true);
--> statement-breakpoint
CREATE POLICY operator_manage ON stripe_prices TO pdm_ops USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON stripe_prices TO pdm_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON stripe_prices TO pdm_ops;
--> statement-breakpoint
ALTER TABLE stripe_meters ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE stripe_meters FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY app_read ON stripe_meters FOR SELECT TO pdm_app USING (true);
--> statement-breakpoint
CREATE POLICY operator_manage ON stripe_meters TO pdm_ops USING (true) WITH CHECK (true);
--> statement-breakpoint
GRANT SELECT ON stripe_meters TO pdm_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON stripe_meters TO pdm_ops;
--> statement-breakpoint

-- A verified Stripe webhook names a customer, not a tenant: this answers which tenant it is.
CREATE FUNCTION billing_tenant_of_customer(p_customer_id text)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT b.tenant_id FROM billing_accounts b WHERE b.stripe_customer_id = p_customer_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION billing_tenant_of_customer(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION billing_tenant_of_customer(text) TO pdm_app;
--> statement-breakpoint

-- The usage sync's work list: tenants with a Stripe customer and usage in closed hours not yet
-- reported, or reports not yet confirmed. Ids only; the work itself runs in each tenant's scope.
CREATE FUNCTION billing_tenants_to_sync(p_before timestamptz)
RETURNS TABLE (tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT b.tenant_id FROM billing_accounts b
  WHERE b.stripe_customer_id IS NOT NULL AND (
    EXISTS (SELECT 1 FROM usage_hourly h WHERE h.tenant_id = b.tenant_id AND h.quantity > h.reported AND h.hour < p_before)
    OR EXISTS (SELECT 1 FROM meter_reports r WHERE r.tenant_id = b.tenant_id AND r.state <> 'confirmed')
  )
  ORDER BY b.tenant_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION billing_tenants_to_sync(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION billing_tenants_to_sync(timestamptz) TO pdm_app;
