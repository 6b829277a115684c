import { switchToHourlyMeters, syncHourlyMeters } from "../src/billing/catalogue-hourly.js";
import { createStripe } from "../src/billing/stripe.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/core/logger.js";
import { connectDb } from "../src/db/client.js";

/**
 * npm run billing:hourly-meters: creates the pre-aggregated twin (`event_time_window: hour`) of
 * every Billing Meter, as the operators' database role. Safe to run again.
 * npm run billing:hourly-meters -- --switch <tenant id> --from <hour, ISO 8601 UTC>: sends that
 * tenant's hours from then on to the twins (docs/operations.md, "Hourly meters").
 */
const config = parseConfig(process.env);
const log = createLogger(config);
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const tenantId = option("--switch");
if (tenantId) {
  const db = connectDb(config.DATABASE_URL, { max: 1, applicationName: "pdm-hourly-meters" });
  try {
    const from = new Date(option("--from") ?? "");
    await switchToHourlyMeters(db, { tenantId, from });
    process.stdout.write(`${tenantId}: hours from ${from.toISOString()} go to the hourly meters\n`);
  } finally {
    await db.close();
  }
} else {
  const opsDb = connectDb(config.DATABASE_OPS_URL, { max: 1, applicationName: "pdm-hourly-meters" });
  try {
    const stripe = createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS);
    const report = await syncHourlyMeters({ opsDb, stripe, log });
    for (const line of [...report.created.map((l) => `created ${l}`), ...report.unchanged.map((l) => `unchanged ${l}`)]) {
      process.stdout.write(`${line}\n`);
    }
  } finally {
    await opsDb.close();
  }
}
