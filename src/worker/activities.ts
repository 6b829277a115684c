import type { Logger } from "pino";
import type Stripe from "stripe";
import { createAlertActivities } from "../alerts/index.js";
import { createUsageSyncActivities } from "../billing/index.js";
import type { WriteGate } from "../core/calls.js";
import type { Clock } from "../core/context.js";
import type { Db } from "../db/client.js";
import { createActivities, createModelCache } from "../mlops/index.js";
import type { OutboundPolicy } from "../outbound/index.js";
import type { TelemetryStore } from "../telemetry/index.js";

/** Every activity the platform's workflows call, from one set of dependencies. */
export function createWorkerActivities(deps: {
  db: Db;
  store: TelemetryStore;
  log: Logger;
  keyEncryptionSecret: string;
  writeGate: WriteGate;
  clock: Clock;
  stripe: Stripe;
  outbound: OutboundPolicy;
}) {
  return {
    ...createActivities({
      db: deps.db,
      store: deps.store,
      log: deps.log,
      models: createModelCache(),
      writeGate: deps.writeGate,
      clock: deps.clock,
    }),
    ...createAlertActivities({ db: deps.db, keyEncryptionSecret: deps.keyEncryptionSecret, outbound: deps.outbound }),
    ...createUsageSyncActivities({ db: deps.db, stripe: deps.stripe }),
  };
}
