import type { Connection } from "@temporalio/client";
import { influxCheck, mqttCheck, postgresCheck, stripeCheck, temporalCheck } from "./api/health.js";
import type { Services } from "./api/services.js";
import { createTokenService } from "./auth/tokens.js";
import { createStripe } from "./billing/stripe.js";
import type { Config } from "./config.js";
import { connectDb } from "./db/client.js";
import { connectTemporal } from "./temporal/client.js";

/** Builds every long-lived dependency from the parsed config; `close` releases them all. */
export async function createServices(config: Config): Promise<{ services: Services; close: () => Promise<void> }> {
  const db = connectDb(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, applicationName: "pdm-api" });
  const opsDb = connectDb(config.DATABASE_OPS_URL, { max: 2, applicationName: "pdm-api-operators" });
  const tokens = createTokenService(db, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
    keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
  });
  await tokens.ensureKey();

  let temporal: Promise<Connection> | undefined;
  const temporalConnection = () => {
    temporal ??= connectTemporal(config.TEMPORAL_ADDRESS).catch((error: unknown) => {
      temporal = undefined;
      throw error;
    });
    return temporal;
  };
  const stripe = createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE);

  const services: Services = {
    config,
    db,
    opsDb,
    tokens,
    readiness: [
      postgresCheck("postgres", db),
      postgresCheck("postgres_operators", opsDb),
      influxCheck(config.INFLUX_URL),
      mqttCheck(config.MQTT_URL, config.MQTT_ADMIN_USERNAME, config.MQTT_ADMIN_PASSWORD),
      temporalCheck(temporalConnection, config.TEMPORAL_NAMESPACE),
      stripeCheck(stripe),
    ],
  };

  const close = async () => {
    const conn = await temporal?.catch(() => undefined);
    await Promise.allSettled([db.close(), opsDb.close(), conn?.close()]);
  };
  return { services, close };
}
