import { syncHourlyPrices } from "../src/billing/catalogue.js";
import { switchToHourlyMeters, syncHourlyMeters } from "../src/billing/catalogue-hourly.js";
import { createStripe } from "../src/billing/stripe.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/core/logger.js";
import { connectDb } from "../src/db/client.js";

/**
 * npm run billing:hourly-meters: creates the pre-aggregated twin (`event_time_window: hour`) of
 * every Billing Meter, then each plan's metered prices on the twins, as the operators' database
 * role. Safe to run again.
 * npm run billing:hourly-meters -- --switch <tenant id> --from <hour, ISO 8601 UTC>: adds the
 * plan's hourly prices to that tenant's subscription and sends its hours from then on to the twins
 * (docs/operations.md, "Hourly meters").
 */
const config = parseConfig(process.env);
const log = createLogger(config);
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const stripe = createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS);
const tenantId = option("--switch");
if (tenantId) {
  const db = connectDb(config.DATABASE_URL, { max: 1, applicationName: "pdm-hourly-meters" });
  try {
    const from = new Date(option("--from") ?? "");
    const result = await switchToHourlyMeters({ db, stripe }, { tenantId, from });
    for (const item of result.addedItems) {
      process.stdout.write(`added ${item.itemId} (price ${item.priceId}) to ${result.subscriptionId}\n`);
    }
    for (const price of result.presentPrices) process.stdout.write(`unchanged price ${price} on ${result.subscriptionId}\n`);
    process.stdout.write(`${tenantId}: hours from ${from.toISOString()} go to the hourly meters\n`);
  } finally {
    await db.close();
  }
} else {
  const opsDb = connectDb(config.DATABASE_OPS_URL, { max: 1, applicationName: "pdm-hourly-meters" });
  try {
    const meters = await syncHourlyMeters({ opsDb, stripe, log });
    const prices = await syncHourlyPrices({ opsDb, stripe, log });
    for (const [label, lines] of [
      ["created", [...meters.created, ...prices.created]],
      ["updated", prices.updated],
      ["unchanged", [...meters.unchanged, ...prices.unchanged]],
    ] as const) {
      for (const line of lines) process.stdout.write(`${label} ${line}\n`);
    }
  } finally {
    await opsDb.close();
  }
}
