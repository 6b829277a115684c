import type { Client } from "@temporalio/client";
import type Stripe from "stripe";
import type { AlertHub } from "../alerts/hub.js";
import type { DeviceCredentials } from "../assets/devices.js";
import type { TokenService } from "../auth/tokens.js";
import type { Config } from "../config.js";
import type { RequestContext as CoreRequestContext, WriteGate } from "../core/calls.js";
import type { Clock } from "../core/context.js";
import type { ChangeFence } from "../db/change-fence.js";
import type { ChangeFeed } from "../db/changes.js";
import type { Db } from "../db/client.js";
import type { ModelCache } from "../mlops/model-cache.js";
import type { RollupLoop, ScopeCache, SeriesCache, TelemetryServices, TelemetryStore } from "../telemetry/index.js";
import type { ReadinessCheck } from "./health.js";

/** Long-lived dependencies, built once per process at start-up. */
export interface Services {
  readonly config: Config;
  readonly db: Db;
  readonly opsDb: Db;
  readonly tokens: TokenService;
  readonly readiness: readonly ReadinessCheck[];
  readonly store: TelemetryStore;
  readonly scopes: ScopeCache;
  /** Telemetry series known to be recorded, so ingest counts only new ones. */
  readonly series: SeriesCache;
  readonly deviceCredentials: DeviceCredentials;
  /** The Temporal client, connected on first use. */
  readonly workflows: () => Promise<Client>;
  /** Decoded models for online predictions. */
  readonly models: ModelCache;
  /** The Stripe client (Stripe itself, or stripe-mock in development and tests). */
  readonly stripe: Stripe;
  /** New alerts from every process, for the alertRaised subscription. */
  readonly alerts: AlertHub;
  /** Changes every process must see at once (Postgres NOTIFY): caches and subscriptions follow them. */
  readonly changes: ChangeFeed;
  /** Confirms that every change committed before a request reached this process: cached state may be used. */
  readonly fence: ChangeFence;
  /** The telemetry rollup step of this copy (it runs on a timer; `runOnce` runs it now). */
  readonly rollups: RollupLoop;
  /** Applied before every tenant write (the billing status). */
  readonly writeGate: WriteGate;
  readonly clock: Clock;
}

/** Per request, as the edge builds it: every service. */
export type RequestContext = CoreRequestContext<Services>;

/** The process's services give every capability what its verbs and resolvers need (checked when compiled). */
const _telemetry = {} as Services satisfies TelemetryServices;
void _telemetry;
