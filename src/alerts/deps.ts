import type { Config } from "../config.js";
import type { CallServices } from "../core/calls.js";
import type { Db } from "../db/client.js";
import type { AlertHub } from "./hub.js";

/** The long-lived dependencies of the alerts verbs: webhook secrets are sealed, webhook URLs checked. */
export interface AlertsDeps {
  readonly config: Pick<Config, "AUTH_KEY_ENCRYPTION_SECRET" | "WEBHOOK_ALLOW_HTTP" | "WEBHOOK_ALLOWED_ADDRESSES" | "WEBHOOK_TIMEOUT_MS">;
}

/** What the alert subscriptions need: the hub announcing new and changed alerts, and the database. */
export interface AlertStreamDeps {
  readonly db: Db;
  readonly alerts: AlertHub;
}

/** What the alerts resolvers need of the process's services. */
export type AlertsServices = AlertsDeps & AlertStreamDeps & CallServices;
