import type Stripe from "stripe";
import type { AlertHub, AlertsServices } from "../alerts/index.js";
import type { AssetsServices, DeviceCredentials } from "../assets/index.js";
import type { AuthServices, TokenService } from "../auth/index.js";
import type { BillingServices, RetentionChanged } from "../billing/index.js";
import type { Config } from "../config.js";
import type { RequestContext as CoreRequestContext, WriteGate } from "../core/calls.js";
import type { Clock } from "../core/context.js";
import type { ChangeFence } from "../db/change-fence.js";
import type { ChangeFeed } from "../db/changes.js";
import type { Db } from "../db/client.js";
import type { MaintenanceServices } from "../maintenance/graphql.js";
import type { MlopsServices, ModelCache } from "../mlops/index.js";
import type { ModelsServices } from "../models/index.js";
import type { OperatorServices } from "../operators/graphql.js";
import type {
  DeviceEndpointsServices,
  RollupLoop,
  ScopeCache,
  SeriesCache,
  TelemetryServices,
  TelemetryStore,
} from "../telemetry/index.js";
import type { WorkflowStarter } from "../temporal/starter.js";
import type { TenancyServices } from "../tenancy/index.js";
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
  /** Starts and asks the platform's workflows (a Temporal client connected on first use). */
  readonly workflows: WorkflowStarter;
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
  /** Days a tenant keeps writing after a payment failed (BILLING_GRACE_DAYS). */
  readonly billingGraceDays: number;
  /** A plan change moved a tenant's telemetry retention: applied to its InfluxDB database. */
  readonly onRetentionChanged: RetentionChanged;
  readonly clock: Clock;
}

// The process's services hold what every capability's resolvers and routes need.

/** Per request, as the edge builds it: every service. */
export type RequestContext = CoreRequestContext<Services>;

/** `T` when it provides everything `Needed` names; a compile error otherwise. */
type Provides<T extends Needed, Needed> = T;

/**
 * Proof that the process's services meet the needs each capability declares for its resolvers:
 * a capability that starts to need a service the process does not build fails to compile here.
 */
export type ServicesProvide = [
  Provides<Services, AuthServices>,
  Provides<Services, TenancyServices>,
  Provides<Services, OperatorServices>,
  Provides<Services, AssetsServices>,
  Provides<Services, AlertsServices>,
  Provides<Services, MaintenanceServices>,
  Provides<Services, BillingServices>,
  Provides<Services, MlopsServices>,
  Provides<Services, ModelsServices>,
  Provides<Services, TelemetryServices>,
  Provides<Services, DeviceEndpointsServices>,
];
