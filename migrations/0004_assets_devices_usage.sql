CREATE TABLE "asset_types" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "asset_types_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "asset_types_key_format" CHECK ("asset_types"."key" ~ '^[a-z][a-z0-9_]{0,62}$')
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"asset_type_id" text NOT NULL,
	"parent_id" text,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assets_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "assets_external_id_format" CHECK ("assets"."external_id" ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$')
);
--> statement-breakpoint
CREATE TABLE "device_assets" (
	"tenant_id" text NOT NULL,
	"device_id" text NOT NULL,
	"asset_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "device_assets_tenant_id_device_id_asset_id_pk" PRIMARY KEY("tenant_id","device_id","asset_id")
);
--> statement-breakpoint
CREATE TABLE "device_tokens" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"device_id" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "device_tokens_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "devices_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sensors" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"asset_type_id" text NOT NULL,
	"key" text NOT NULL,
	"value_type" text DEFAULT 'float' NOT NULL,
	"unit" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sensors_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "sensors_key_format" CHECK ("sensors"."key" ~ '^[A-Za-z][A-Za-z0-9_]{0,62}$'),
	CONSTRAINT "sensors_value_type_valid" CHECK ("sensors"."value_type" in ('float','integer','boolean'))
);
--> statement-breakpoint
CREATE TABLE "usage_daily" (
	"tenant_id" text NOT NULL,
	"meter" text NOT NULL,
	"day" date NOT NULL,
	"quantity" bigint NOT NULL,
	CONSTRAINT "usage_daily_tenant_id_meter_day_pk" PRIMARY KEY("tenant_id","meter","day")
);
--> statement-breakpoint
CREATE TABLE "usage_ledger" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"meter" text NOT NULL,
	"quantity" bigint NOT NULL,
	"idempotency_key" text NOT NULL,
	"source" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_ledger_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "asset_activity" (
	"tenant_id" text NOT NULL,
	"asset_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"points" bigint NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "asset_activity_tenant_id_asset_id_hour_pk" PRIMARY KEY("tenant_id","asset_id","hour")
);
--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "retention_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "daily_point_quota" bigint;--> statement-breakpoint
ALTER TABLE "asset_types" ADD CONSTRAINT "asset_types_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_tenant_id_asset_type_id_asset_types_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_type_id") REFERENCES "public"."asset_types"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_tenant_id_parent_id_assets_tenant_id_id_fk" FOREIGN KEY ("tenant_id","parent_id") REFERENCES "public"."assets"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_assets" ADD CONSTRAINT "device_assets_tenant_id_device_id_devices_tenant_id_id_fk" FOREIGN KEY ("tenant_id","device_id") REFERENCES "public"."devices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_assets" ADD CONSTRAINT "device_assets_tenant_id_asset_id_assets_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_id") REFERENCES "public"."assets"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_tokens" ADD CONSTRAINT "device_tokens_tenant_id_device_id_devices_tenant_id_id_fk" FOREIGN KEY ("tenant_id","device_id") REFERENCES "public"."devices"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sensors" ADD CONSTRAINT "sensors_tenant_id_asset_type_id_asset_types_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_type_id") REFERENCES "public"."asset_types"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_daily" ADD CONSTRAINT "usage_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "usage_ledger" ADD CONSTRAINT "usage_ledger_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "asset_activity" ADD CONSTRAINT "asset_activity_tenant_id_asset_id_assets_tenant_id_id_fk" FOREIGN KEY ("tenant_id","asset_id") REFERENCES "public"."assets"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "asset_types_tenant_key_key" ON "asset_types" USING btree ("tenant_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "assets_tenant_external_id_key" ON "assets" USING btree ("tenant_id","external_id");--> statement-breakpoint
CREATE INDEX "assets_type_idx" ON "assets" USING btree ("tenant_id","asset_type_id");--> statement-breakpoint
CREATE INDEX "assets_parent_idx" ON "assets" USING btree ("tenant_id","parent_id");--> statement-breakpoint
CREATE INDEX "device_assets_asset_idx" ON "device_assets" USING btree ("tenant_id","asset_id");--> statement-breakpoint
CREATE UNIQUE INDEX "device_tokens_prefix_key" ON "device_tokens" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "device_tokens_device_idx" ON "device_tokens" USING btree ("tenant_id","device_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sensors_type_key_key" ON "sensors" USING btree ("tenant_id","asset_type_id","key");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_ledger_idempotency_key" ON "usage_ledger" USING btree ("tenant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "usage_ledger_meter_time_idx" ON "usage_ledger" USING btree ("tenant_id","meter","occurred_at");--> statement-breakpoint
CREATE INDEX "asset_activity_hour_idx" ON "asset_activity" USING btree ("tenant_id","hour");