-- Test events sent to a webhook on request (sendTestWebhook, src/alerts/test-event.ts): one signed
-- attempt each, its outcome and the receiver's status code, shown in the webhook's delivery log
-- beside the alerts' deliveries. Rows are written once and never changed.
CREATE TABLE "webhook_test_deliveries" (
	"tenant_id" text NOT NULL,
	"id" text NOT NULL,
	"webhook_id" text NOT NULL,
	"outcome" text NOT NULL,
	"status_code" integer,
	"sent_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_test_deliveries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "webhook_test_deliveries_outcome_valid" CHECK ("webhook_test_deliveries"."outcome" in ('DELIVERED','REDIRECTED','REJECTED','FAILED','TIMEOUT','UNREACHABLE','BLOCKED_ADDRESS'))
);
--> statement-breakpoint
ALTER TABLE "webhook_test_deliveries" ADD CONSTRAINT "webhook_test_deliveries_tenant_id_webhook_id_webhooks_tenant_id_id_fk" FOREIGN KEY ("tenant_id","webhook_id") REFERENCES "public"."webhooks"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_test_deliveries_webhook_idx" ON "webhook_test_deliveries" USING btree ("tenant_id","webhook_id","created_at");
--> statement-breakpoint
SELECT pdm_secure_tenant_table('webhook_test_deliveries', 'tenant_id', 'SELECT, INSERT');
