CREATE TABLE "billing_accounts" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"stripe_customer_id" text,
	"plan_id" text,
	"stripe_subscription_id" text,
	"subscription_status" text,
	"current_period_start" timestamp with time zone,
	"current_period_end" timestamp with time zone,
	"subscription_event_at" timestamp with time zone,
	"invoice_event_at" timestamp with time zone,
	"past_due_since" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meter_reports" (
	"tenant_id" text NOT NULL,
	"meter" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"seq" integer NOT NULL,
	"identifier" text NOT NULL,
	"quantity" bigint NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	CONSTRAINT "meter_reports_tenant_id_meter_hour_seq_pk" PRIMARY KEY("tenant_id","meter","hour","seq"),
	CONSTRAINT "meter_reports_quantity_positive" CHECK ("meter_reports"."quantity" > 0),
	CONSTRAINT "meter_reports_state_valid" CHECK ("meter_reports"."state" in ('pending','sent','confirmed'))
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"currency" text NOT NULL,
	"base_amount" integer NOT NULL,
	"points_amount_per_1000" integer NOT NULL,
	"prediction_amount" integer NOT NULL,
	"training_run_amount" integer NOT NULL,
	"points_per_day" bigint,
	"predictions_per_day" integer,
	"training_runs_per_day" integer,
	"max_assets" integer,
	"max_models" integer,
	"retention_days" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_code_format" CHECK ("plans"."code" ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
	CONSTRAINT "plans_currency_format" CHECK ("plans"."currency" ~ '^[a-z]{3}$'),
	CONSTRAINT "plans_amounts_non_negative" CHECK ("plans"."base_amount" >= 0 and "plans"."points_amount_per_1000" >= 0 and "plans"."prediction_amount" >= 0 and "plans"."training_run_amount" >= 0),
	CONSTRAINT "plans_limits_non_negative" CHECK (coalesce("plans"."points_per_day", 0) >= 0 and coalesce("plans"."predictions_per_day", 0) >= 0 and coalesce("plans"."training_runs_per_day", 0) >= 0 and coalesce("plans"."max_assets", 0) >= 0 and coalesce("plans"."max_models", 0) >= 0),
	CONSTRAINT "plans_retention_positive" CHECK ("plans"."retention_days" between 1 and 3650)
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"stripe_created_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_events_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "stripe_meters" (
	"meter" text PRIMARY KEY NOT NULL,
	"event_name" text NOT NULL,
	"stripe_meter_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stripe_prices" (
	"plan_id" text NOT NULL,
	"component" text NOT NULL,
	"lookup_key" text NOT NULL,
	"currency" text NOT NULL,
	"unit_amount" integer NOT NULL,
	"stripe_price_id" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_prices_plan_id_component_currency_unit_amount_pk" PRIMARY KEY("plan_id","component","currency","unit_amount")
);
--> statement-breakpoint
CREATE TABLE "stripe_products" (
	"plan_id" text PRIMARY KEY NOT NULL,
	"stripe_product_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_hourly" (
	"tenant_id" text NOT NULL,
	"meter" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"quantity" bigint NOT NULL,
	"reported" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_hourly_tenant_id_meter_hour_pk" PRIMARY KEY("tenant_id","meter","hour"),
	CONSTRAINT "usage_hourly_reported_bounds" CHECK ("usage_hourly"."reported" >= 0 and "usage_hourly"."reported" <= "usage_hourly"."quantity"),
	CONSTRAINT "usage_hourly_on_the_hour" CHECK (date_trunc('hour', "usage_hourly"."hour") = "usage_hourly"."hour")
);
--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD CONSTRAINT "billing_accounts_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_accounts" ADD CONSTRAINT "billing_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_reports" ADD CONSTRAINT "meter_reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD CONSTRAINT "stripe_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_prices" ADD CONSTRAINT "stripe_prices_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_products" ADD CONSTRAINT "stripe_products_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_hourly" ADD CONSTRAINT "usage_hourly_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_accounts_customer_key" ON "billing_accounts" USING btree ("stripe_customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meter_reports_identifier_key" ON "meter_reports" USING btree ("identifier");--> statement-breakpoint
CREATE INDEX "meter_reports_open_idx" ON "meter_reports" USING btree ("tenant_id","created_at") WHERE "meter_reports"."state" <> 'confirmed';--> statement-breakpoint
CREATE UNIQUE INDEX "plans_code_key" ON "plans" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "stripe_events_id_key" ON "stripe_events" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "stripe_prices_active_key" ON "stripe_prices" USING btree ("plan_id","component") WHERE "stripe_prices"."active";--> statement-breakpoint
CREATE INDEX "usage_hourly_unreported_idx" ON "usage_hourly" USING btree ("tenant_id","hour") WHERE "usage_hourly"."quantity" > "usage_hourly"."reported";