import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, Connection } from "@temporalio/client";
import { NativeConnection } from "@temporalio/worker";
import { createLogger } from "../../src/core/logger.js";
import { createPlatformWorker } from "../../src/worker/create.js";
import type { Api } from "./harness.js";
import { TEST_ENV, testConfig } from "./harness.js";

export interface RunningWorker {
  close(): Promise<void>;
}

/** A Temporal worker in this process, with the API's database and telemetry store (and the test configuration, or `config`). */
export async function startWorker(api: Api, config = testConfig()): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createPlatformWorker(connection, config, {
    db: api.services.db,
    store: api.services.store,
    log: createLogger(config),
  });
  const running = worker.run();
  return {
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** The worker as its own process (`node dist/src/worker/main.js`), for crash tests. */
export function spawnWorker(): ChildProcess {
  const main = fileURLToPath(new URL("../../src/worker/main.js", import.meta.url));
  return spawn(process.execPath, [main], {
    env: { ...process.env, ...TEST_ENV, LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

export async function temporalClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const config = testConfig();
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  return { client: new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), close: () => connection.close() };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}
