import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { AppError, validation } from "../core/errors.js";
import { type Db, withTenant } from "../db/client.js";
import type { CatalogueDeps, CatalogueReport } from "./catalogue.js";
import { billingAccounts, METERS, type Meter, stripeMeters } from "./schema.js";

/**
 * The pre-aggregated twins of the Billing Meters (`event_time_window: hour`: Stripe keeps the
 * newest event of each hour and customer) and the switch of a tenant to them at an hour boundary.
 * The per-event meters and their history stay as they are.
 */
export const hourlyEventName = (meter: Meter): string => `pdm_${meter}_hourly`;

const HOURLY_NAMES: Record<Meter, string> = {
  points_ingested: "Telemetry points ingested (per hour)",
  predictions: "Predictions (per hour)",
  training_runs: "Training runs (per hour)",
};

const keyOf = (meter: Meter, eventName: string): string =>
  `pdm-catalogue-${createHash("sha256").update(["hourly-meter", meter, eventName].join("\u0000")).digest("hex").slice(0, 48)}`;

/** Creates the hourly twin of every meter that has none; a second run creates nothing. */
export async function syncHourlyMeters(deps: Pick<CatalogueDeps, "opsDb" | "stripe" | "log">): Promise<CatalogueReport> {
  const report: CatalogueReport = { created: [], updated: [], unchanged: [] };
  const rows = await deps.opsDb.db.select().from(stripeMeters);
  const missing = METERS.filter((m) => !rows.some((r) => r.meter === m));
  if (missing.length > 0) {
    throw new AppError("CONFLICT", `No Stripe meter is recorded for ${missing.join(", ")}: run npm run billing:sync-catalogue first.`, {
      meters: missing,
    });
  }
  for (const row of rows) {
    if (row.hourlyStripeMeterId) {
      report.unchanged.push(`meter ${row.hourlyEventName} (${row.hourlyStripeMeterId})`);
      continue;
    }
    const eventName = hourlyEventName(row.meter);
    const created = await deps.stripe.billing.meters.create(
      {
        display_name: HOURLY_NAMES[row.meter],
        event_name: eventName,
        event_time_window: "hour",
        default_aggregation: { formula: "sum" },
        customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" },
        value_settings: { event_payload_key: "value" },
      },
      { idempotencyKey: keyOf(row.meter, eventName) },
    );
    await deps.opsDb.db
      .update(stripeMeters)
      .set({ hourlyEventName: eventName, hourlyStripeMeterId: created.id })
      .where(and(eq(stripeMeters.meter, row.meter), isNull(stripeMeters.hourlyStripeMeterId)));
    report.created.push(`meter ${eventName} (${created.id}, per hour)`);
  }
  deps.log.info({ created: report.created.length, unchanged: report.unchanged.length }, "Stripe hourly meters synced");
  return report;
}

/**
 * Sends the tenant's hours from `from` (an hour boundary) on to the hourly meters, in the tenant's
 * scope. Refused when an
 * hour at or after `from` was already reported (it would be on both meters) or a twin is missing.
 */
export async function switchToHourlyMeters(db: Db, input: { tenantId: string; from: Date }): Promise<void> {
  const { tenantId, from } = input;
  if (Number.isNaN(from.getTime()) || from.getTime() % 3_600_000 !== 0) {
    throw validation("The switch must be at the start of an hour (UTC), e.g. 2026-12-01T00:00:00Z.", { field: "from" });
  }
  // In the tenant's own scope: the billing account is tenant data.
  await withTenant(db.db, { tenantId }, async (tx) => {
    const twins = await tx.select().from(stripeMeters);
    const without = METERS.filter((m) => !twins.some((r) => r.meter === m && r.hourlyEventName));
    if (without.length > 0) {
      throw new AppError("CONFLICT", `No hourly meter is recorded for ${without.join(", ")}: run npm run billing:hourly-meters first.`, {
        meters: without,
      });
    }
    const [account] = await tx.select().from(billingAccounts).where(eq(billingAccounts.tenantId, tenantId)).for("update");
    if (!account) throw new AppError("NOT_FOUND", `Tenant ${tenantId} has no billing account.`, { tenantId });
    const [reported] = await tx.execute<{ hour: string | null }>(
      sql`select max(hour)::text as hour from meter_reports where tenant_id = ${tenantId} and hour >= ${from.toISOString()}::timestamptz`,
    );
    if (reported?.hour) {
      throw new AppError("CONFLICT", `Usage of ${reported.hour} was already reported to the per-event meters: switch at a later hour.`, {
        tenantId,
        reportedHour: reported.hour,
      });
    }
    await tx.update(billingAccounts).set({ hourlyMetersFrom: from }).where(eq(billingAccounts.tenantId, tenantId));
  });
}
