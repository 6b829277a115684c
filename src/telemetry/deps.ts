import type { CallServices } from "../core/calls.js";
import type { Clock, DevicePrincipal } from "../core/context.js";
import type { Db } from "../db/client.js";
import type { SeriesCache } from "./series.js";
import type { TelemetryStore } from "./store.js";
import type { ScopeCache } from "./targets.js";

/** The settings the telemetry verbs read. */
export interface TelemetrySettings {
  /** Whether aggregates read the hourly rollups where they are exact ("off": always the raw points). */
  readonly TELEMETRY_ROLLUP_READS: "on" | "off";
}

/** What the telemetry verbs use, beyond the caller's context. */
export interface TelemetryDeps {
  readonly store: TelemetryStore;
  /** Series this process knows are recorded; new ones are counted against the tenant's budget. */
  readonly series: SeriesCache;
  /** The devices' write scopes, cached per process. */
  readonly scopes: ScopeCache;
  readonly clock: Clock;
  readonly config: TelemetrySettings;
}

/** What the ingest path uses: it runs its own tenant transaction, after the batch was validated. */
export interface IngestDeps extends Pick<TelemetryDeps, "store" | "series" | "scopes" | "clock"> {
  readonly db: Db;
}

/** What the telemetry resolvers and routes need of the process's services. */
export type TelemetryServices = TelemetryDeps & CallServices;

/** The settings that say where devices write (config.ts). */
export interface EndpointSettings {
  readonly MQTT_PUBLIC_URL: string;
  readonly API_PUBLIC_URL: string;
}

/** What the device fields (diagnostics, endpoints) need of the process's services. */
export type DeviceEndpointsServices = CallServices & { readonly config: EndpointSettings };

/** The first argument of the ingest verb: the device, the request (or message) id and the dependencies. */
export interface DeviceContext<D = IngestDeps> {
  readonly principal: DevicePrincipal;
  readonly requestId: string;
  readonly deps: D;
}
