import { createStripe, syncCatalogue } from "../src/billing/index.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/core/logger.js";
import { connectDb } from "../src/db/client.js";

/**
 * npm run billing:sync-catalogue: puts the plans, their prices and the Billing Meters into Stripe,
 * as the operators' database role. Safe to run again: what exists is left alone.
 */
const config = parseConfig(process.env);
const log = createLogger(config);
const opsDb = connectDb(config.DATABASE_OPS_URL, { max: 1, applicationName: "pdm-sync-catalogue" });
try {
  const stripe = createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS);
  const report = await syncCatalogue({ opsDb, stripe, log });
  for (const [label, lines] of [
    ["created", report.created],
    ["updated", report.updated],
    ["unchanged", report.unchanged],
  ] as const) {
    process.stdout.write(`${label}: ${lines.length}\n`);
    for (const line of lines) process.stdout.write(`  ${line}\n`);
  }
} finally {
  await opsDb.close();
}
