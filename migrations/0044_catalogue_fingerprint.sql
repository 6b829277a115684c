-- The catalogue sync records a hash of the product fields it last sent to Stripe (name, active,
-- metadata), so a run sends a product update only when one of them changed. Existing rows start
-- without one: the next sync sends each product once and records it.
ALTER TABLE "stripe_products" ADD COLUMN "synced_fingerprint" text;
