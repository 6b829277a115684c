import type { Logger } from "pino";
import type Stripe from "stripe";
import { createAlertActivities } from "../alerts/delivery.js";
import { createUsageSyncActivities } from "../billing/usage-sync-activities.js";
import type { Db } from "../db/client.js";
import { createActivities } from "../mlops/activities.js";
import type { OutboundPolicy } from "../outbound/index.js";
import type { TelemetryStore } from "../telemetry/index.js";

/** Every activity the platform's workflows call, from one set of dependencies. */
export function createWorkerActivities(deps: {
  db: Db;
  store: TelemetryStore;
  log: Logger;
  keyEncryptionSecret: string;
  billingGraceDays: number;
  stripe: Stripe;
  outbound: OutboundPolicy;
}) {
  return {
    ...createActivities({ db: deps.db, store: deps.store, log: deps.log, billingGraceDays: deps.billingGraceDays }),
    ...createAlertActivities({ db: deps.db, keyEncryptionSecret: deps.keyEncryptionSecret, outbound: deps.outbound }),
    ...createUsageSyncActivities({ db: deps.db, stripe: deps.stripe }),
  };
}
