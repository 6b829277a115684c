import { createHmac } from "node:crypto";
import { Client, type Connection } from "@temporalio/client";
import type { Logger } from "pino";
import { createAlertHub } from "./alerts/index.js";
import { alertFeedCheck, influxCheck, mqttCheck, postgresCheck, stripeCheck, temporalCheck } from "./api/health.js";
import type { Services } from "./api/services.js";
import type { DeviceCredentials } from "./assets/index.js";
import { createTokenService } from "./auth/index.js";
import { type BillingDeps, billingWriteGate, createStripe } from "./billing/index.js";
import type { Config } from "./config.js";
import { systemClock } from "./core/context.js";
import { createLogger } from "./core/logger.js";
import { createChangeFence } from "./db/change-fence.js";
import { createChangeFeed } from "./db/changes.js";
import { connectDb } from "./db/client.js";
import { createModelCache } from "./mlops/index.js";
import {
  applyRetention,
  connectMqttAdmin,
  createInfluxStore,
  createScopeCache,
  createSeriesCache,
  type MqttAdmin,
  type MqttBridge,
  startMqttBridge,
  startRollupLoop,
} from "./telemetry/index.js";
import { connectTemporal } from "./temporal/client.js";
import { workflowStarter } from "./temporal/starter.js";

export const BRIDGE_USERNAME = "pdm-ingest-bridge";

/** A connection opened on first use; a failure is not cached, the next use tries again. */
function lazy<T>(open: () => Promise<T>): { get: () => Promise<T>; opened: () => Promise<T | undefined> } {
  let pending: Promise<T> | undefined;
  return {
    get: () => {
      pending ??= open().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    opened: () => (pending ? pending.catch(() => undefined) : Promise.resolve(undefined)),
  };
}

/** Builds every long-lived dependency from the parsed config; `close` releases them all. */
export async function createServices(
  config: Config,
  log: Logger = createLogger(config),
): Promise<{ services: Services; close: () => Promise<void>; stopAccepting: () => void }> {
  const db = connectDb(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, applicationName: "pdm-api" });
  const opsDb = connectDb(config.DATABASE_OPS_URL, { max: 2, applicationName: "pdm-api-operators" });
  // The feed first: the fence's LISTEN follows it on the same connection, so once the fence is
  // ready the feed is too, and caches built below miss nothing announced from here on. The alert
  // hub listens on that connection after the feed: a change committed before an alert reaches
  // this process before that alert (subscriptions rely on it).
  const changes = createChangeFeed(db, log);
  const fence = createChangeFence(db, log);
  await fence.ready();
  const tokens = createTokenService(
    db,
    {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
      keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
    },
    { changes, fence },
  );
  await tokens.ensureKey();

  const temporal = lazy(() => connectTemporal(config.TEMPORAL_ADDRESS));
  const workflowClient = lazy(async () => new Client({ connection: await temporal.get(), namespace: config.TEMPORAL_NAMESPACE }));
  const mqttAdmin = lazy(() =>
    connectMqttAdmin({ url: config.MQTT_URL, username: config.MQTT_ADMIN_USERNAME, password: config.MQTT_ADMIN_PASSWORD }),
  );
  const deviceCredentials: DeviceCredentials = {
    upsert: async (input) => (await mqttAdmin.get()).upsertDeviceCredential(input),
    remove: async (username) => (await mqttAdmin.get()).removeCredential(username),
  };
  const stripe = createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS);
  const store = createInfluxStore({ url: config.INFLUX_URL, username: config.INFLUX_USERNAME, password: config.INFLUX_PASSWORD });
  const scopes = createScopeCache(db, { billingGraceDays: config.BILLING_GRACE_DAYS, changes, fence });
  const series = createSeriesCache();
  const alerts = createAlertHub(db, log);
  // The rollup step's lock holds a connection of its own (opened on first use), never one of the pool's.
  const rollupLockDb = connectDb(config.DATABASE_URL, { max: 1, applicationName: "pdm-api-rollups" });
  const rollups = startRollupLoop(
    { db, store },
    { intervalMs: config.TELEMETRY_ROLLUP_INTERVAL_SECONDS * 1000, log, lockDb: rollupLockDb },
  );

  let bridge: MqttBridge | undefined;
  if (config.MQTT_BRIDGE === "on") {
    // Every API process derives the same bridge password, so they share one broker credential.
    const password = createHmac("sha256", config.AUTH_KEY_ENCRYPTION_SECRET).update("mqtt-ingest-bridge").digest("base64url");
    const admin = await mqttAdmin.get();
    await admin.ensureBridgeCredential(BRIDGE_USERNAME, password);
    // Device credentials created before client ids were bound, or with older ACLs, are brought to
    // the current rules here, at every start (idempotent: only what differs is changed).
    const reconciled = await admin.reconcileDevices();
    if (reconciled.roles + reconciled.clients > 0) log.info(reconciled, "MQTT device credentials brought to the current rules");
    bridge = await startMqttBridge(
      { db, store, scopes, series, clock: systemClock },
      {
        url: config.MQTT_URL,
        username: BRIDGE_USERNAME,
        password,
        log,
        maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
        clientId: config.MQTT_BRIDGE_CLIENT_ID,
        leaseSeconds: config.MQTT_BRIDGE_LEASE_SECONDS,
      },
    );
  }

  const billing: BillingDeps = { billingGraceDays: config.BILLING_GRACE_DAYS, clock: systemClock };
  let stopping = false;
  const services: Services = {
    config,
    db,
    opsDb,
    tokens,
    store,
    scopes,
    series,
    deviceCredentials,
    workflows: workflowStarter(workflowClient.get),
    models: createModelCache(),
    stripe,
    alerts,
    changes,
    fence,
    rollups,
    writeGate: billingWriteGate(billing),
    billingGraceDays: billing.billingGraceDays,
    onRetentionChanged: async ({ tenantId }) => {
      await applyRetention({ db, store }, tenantId);
    },
    clock: billing.clock,
    readiness: [
      // First to fail on SIGTERM: a load balancer stops sending requests before the copy closes.
      {
        name: "accepting",
        live: true,
        check: async () => {
          if (stopping) throw new Error("this copy is stopping");
        },
      },
      postgresCheck("postgres", db),
      postgresCheck("postgres_operators", opsDb),
      influxCheck(store),
      mqttCheck(config.MQTT_URL, config.MQTT_ADMIN_USERNAME, config.MQTT_ADMIN_PASSWORD),
      temporalCheck(temporal.get, config.TEMPORAL_NAMESPACE),
      stripeCheck(stripe),
      alertFeedCheck(alerts),
    ],
  };

  const close = async () => {
    await bridge?.close();
    await rollups.close().catch(() => undefined);
    await alerts.close().catch(() => undefined);
    await fence.close().catch(() => undefined);
    await changes.close().catch(() => undefined);
    const admin: MqttAdmin | undefined = await mqttAdmin.opened();
    const conn: Connection | undefined = await temporal.opened();
    await Promise.allSettled([admin?.close(), conn?.close()]);
    await Promise.allSettled([db.close(), opsDb.close(), rollupLockDb.close()]);
  };
  return {
    services,
    close,
    stopAccepting: () => {
      stopping = true;
    },
  };
}
