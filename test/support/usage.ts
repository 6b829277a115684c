import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import type { Meter } from "../../src/billing/schema.js";
import { recordUsage, utcHour } from "../../src/billing/usage.js";
import { reportIdentifier } from "../../src/billing/usage-sync-plan.js";
import { workflowCall } from "../../src/core/calls.js";
import { type Api, ownerUrl } from "./harness.js";

/** Usage to record: `quantity` of `meter` at `at`. */
export interface UsageEntry {
  readonly meter: Meter;
  readonly quantity: number;
  readonly at: Date;
}

/**
 * The Stripe meters the usage sync sends to. The catalogue sync records them; where it has not
 * run on this database, rows in its shape are added (existing ones are kept).
 */
export async function ensureStripeMeters(): Promise<void> {
  const owner = postgres(ownerUrl(), { max: 1, onnotice: () => {} });
  try {
    for (const meter of ["points_ingested", "predictions", "training_runs"] as const) {
      await owner`
        insert into stripe_meters (meter, event_name, stripe_meter_id)
        values (${meter}, ${`pdm_${meter}`}, ${`mtr_test_${meter}`})
        on conflict (meter) do nothing`;
    }
  } finally {
    await owner.end();
  }
}

/** Records usage the way the platform does (ledger row and hourly total in one transaction). */
export async function recordTestUsage(api: Api, tenantId: string, entries: readonly UsageEntry[]): Promise<void> {
  for (const e of entries) {
    await workflowCall(api.services, { tenantId, workflowId: "test-usage" }, (ctx) =>
      recordUsage(ctx, {
        meter: e.meter,
        quantity: e.quantity,
        idempotencyKey: `test:${randomBytes(8).toString("hex")}`,
        source: "test",
        at: e.at,
      }),
    );
  }
}

/**
 * A tenant that Stripe bills: a billing account with a Stripe customer id (written as the owner,
 * as the checkout webhook would), then its usage. Returns the customer id.
 */
export async function seedBillableTenant(api: Api, tenantId: string, entries: readonly UsageEntry[] = []): Promise<string> {
  const customer = `cus_test_${randomBytes(8).toString("hex")}`;
  const owner = postgres(ownerUrl(), { max: 1, onnotice: () => {} });
  try {
    await owner`
      insert into billing_accounts (tenant_id, stripe_customer_id) values (${tenantId}, ${customer})
      on conflict (tenant_id) do update set stripe_customer_id = excluded.stripe_customer_id`;
  } finally {
    await owner.end();
  }
  await ensureStripeMeters();
  await recordTestUsage(api, tenantId, entries);
  return customer;
}

/**
 * A meter report of the tenant (for the isolation test), as the sync would plan it for two hours
 * ago, written as the owner: no billing account is needed, so none is created.
 */
export async function seedMeterReport(tenantId: string): Promise<void> {
  const hour = utcHour(new Date(Date.now() - 2 * 3_600_000));
  const identifier = reportIdentifier(tenantId, "predictions", hour.getTime() / 1000, 1);
  const owner = postgres(ownerUrl(), { max: 1, onnotice: () => {} });
  try {
    await owner`
      insert into meter_reports (tenant_id, meter, hour, seq, identifier, quantity, stripe_customer_id)
      values (${tenantId}, 'predictions', ${hour}, 1, ${identifier}, 3, ${`cus_test_${randomBytes(8).toString("hex")}`})`;
  } finally {
    await owner.end();
  }
}

/** The worker as its own process with settings of its own (e.g. a Stripe proxy), for crash tests. */
export function spawnWorkerWith(env: Readonly<Record<string, string>>): ChildProcess {
  const main = fileURLToPath(new URL("../../src/worker/main.js", import.meta.url));
  return spawn(process.execPath, [main], {
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
}
