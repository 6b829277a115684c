import { Client, Connection } from "@temporalio/client";
import { NativeConnection } from "@temporalio/worker";
import { billingWriteGate } from "../src/billing/index.js";
import { type Config, parseConfig } from "../src/config.js";
import { systemClock } from "../src/core/context.js";
import { createLogger } from "../src/core/logger.js";
import { connectDb } from "../src/db/client.js";
import { createModelCache, type MlopsWorkerDeps } from "../src/mlops/index.js";
import { createInfluxStore } from "../src/telemetry/index.js";
import { createPlatformWorker } from "../src/worker/create.js";

export interface BenchWorkflows {
  readonly config: Config;
  readonly deps: MlopsWorkerDeps;
  readonly client: Client;
  close(): Promise<void>;
}

/**
 * What the MLOps benchmarks share: the activities' dependencies for the in-process side, and a
 * worker in this process with a client for the workflow side (so both use the same CPU).
 */
export async function startBenchWorkflows(): Promise<BenchWorkflows> {
  const config = parseConfig({ ...process.env, LOG_LEVEL: "warn" });
  // As many connections as the platform's worker has (src/worker/main.ts), so a workflow here runs as it would there.
  const db = connectDb(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE, applicationName: "pdm-bench" });
  const store = createInfluxStore({ url: config.INFLUX_URL, username: config.INFLUX_USERNAME, password: config.INFLUX_PASSWORD });
  const deps: MlopsWorkerDeps = {
    db,
    store,
    log: createLogger(config),
    models: createModelCache(),
    clock: systemClock,
    writeGate: billingWriteGate({ billingGraceDays: config.BILLING_GRACE_DAYS, clock: systemClock }),
  };
  const nativeConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createPlatformWorker(nativeConnection, config, deps);
  const running = worker.run();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return {
    config,
    deps,
    client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }),
    async close() {
      await connection.close();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await db.close();
    },
  };
}
