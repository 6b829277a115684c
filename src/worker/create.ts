import { type NativeConnection, Worker } from "@temporalio/worker";
import type { Logger } from "pino";
import { billingWriteGate, createStripe } from "../billing/index.js";
import type { Config } from "../config.js";
import { systemClock } from "../core/context.js";
import type { Db } from "../db/client.js";
import { outboundPolicy } from "../outbound/index.js";
import type { TelemetryStore } from "../telemetry/index.js";
import { TASK_QUEUE } from "../temporal/client.js";
import { createWorkerActivities } from "./activities.js";
import { workflowSource } from "./bundle.js";

/** The platform's worker on the shared task queue: every workflow and every activity, one way to build it. */
export function createPlatformWorker(
  connection: NativeConnection,
  config: Config,
  deps: { db: Db; store: TelemetryStore; log: Logger },
): Promise<Worker> {
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: TASK_QUEUE,
    ...workflowSource(),
    activities: createWorkerActivities({
      ...deps,
      keyEncryptionSecret: config.AUTH_KEY_ENCRYPTION_SECRET,
      writeGate: billingWriteGate({ billingGraceDays: config.BILLING_GRACE_DAYS, clock: systemClock }),
      clock: systemClock,
      stripe: createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS),
      outbound: outboundPolicy(config),
    }),
  });
}
