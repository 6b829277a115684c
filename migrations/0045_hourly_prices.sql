-- Prices on the pre-aggregated hourly meters: a second price per plan and metered component.
ALTER TABLE "stripe_prices" ADD COLUMN "hourly" boolean DEFAULT false NOT NULL;--> statement-breakpoint
DROP INDEX "stripe_prices_active_key";--> statement-breakpoint
ALTER TABLE "stripe_prices" DROP CONSTRAINT "stripe_prices_plan_id_component_currency_unit_amount_pk";--> statement-breakpoint
ALTER TABLE "stripe_prices" ADD CONSTRAINT "stripe_prices_plan_id_component_hourly_currency_unit_amount_pk" PRIMARY KEY("plan_id","component","hourly","currency","unit_amount");--> statement-breakpoint
CREATE UNIQUE INDEX "stripe_prices_active_key" ON "stripe_prices" USING btree ("plan_id","component","hourly") WHERE "stripe_prices"."active";--> statement-breakpoint
ALTER TABLE "stripe_prices" ADD CONSTRAINT "stripe_prices_hourly_metered" CHECK (not ("stripe_prices"."hourly" and "stripe_prices"."component" = 'base'));
