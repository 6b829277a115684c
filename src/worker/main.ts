import { Client } from "@temporalio/client";
import { NativeConnection, Runtime } from "@temporalio/worker";
import { ensureUsageSyncSchedule } from "../billing/index.js";
import { ConfigError, parseConfig } from "../config.js";
import { createLogger } from "../core/logger.js";
import { connectDb } from "../db/client.js";
import { createInfluxStore } from "../telemetry/index.js";
import { connectTemporal, TASK_QUEUE } from "../temporal/client.js";
import { createPlatformWorker } from "./create.js";

/** The Temporal worker: runs the platform's workflows and their activities until SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof parseConfig>;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config);
  Runtime.install({ shutdownSignals: [] });
  const db = connectDb(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, applicationName: "pdm-worker" });
  const store = createInfluxStore({ url: config.INFLUX_URL, username: config.INFLUX_USERNAME, password: config.INFLUX_PASSWORD });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createPlatformWorker(connection, config, { db, store, log });
  const clientConnection = await connectTemporal(config.TEMPORAL_ADDRESS);
  try {
    await ensureUsageSyncSchedule(new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }));
  } finally {
    await clientConnection.close();
  }
  let stopping = false;
  const stop = (signal: string) => {
    // A second signal (Ctrl-C reaches the whole process group, then its parent's SIGTERM) changes nothing.
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker shutting down");
    worker.shutdown();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  log.info({ taskQueue: TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, "worker running");
  try {
    await worker.run();
  } finally {
    await connection.close();
    await db.close();
  }
  log.info("worker stopped");
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
