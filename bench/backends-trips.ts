import type { Config } from "../src/config.js";
import type { Probe } from "./backends-probes.js";
import { median, withApi } from "./support.js";
import { minusTurns, startTurnCounter, type TurnCounter, type Turns } from "./turn-counter.js";

export const TRIP_BACKENDS = ["Postgres", "InfluxDB", "MQTT", "Temporal", "Stripe"] as const;
export type TripBackend = (typeof TRIP_BACKENDS)[number];

/** The backend addresses of the counting relays, as the API's environment names them. */
export interface RelayedEnv {
  readonly DATABASE_URL: string;
  readonly DATABASE_OPS_URL: string;
  readonly INFLUX_URL: string;
  readonly MQTT_URL: string;
  readonly TEMPORAL_ADDRESS: string;
  readonly STRIPE_API_BASE: string;
}

/** Round trips of one request to each backend: the median and the mean over the requests; new connections (mean). */
export interface RoundTrips {
  readonly median: Readonly<Record<TripBackend, number>>;
  readonly mean: Readonly<Record<TripBackend, number>>;
  readonly connections: number;
}

function hostPort(address: string, defaultPort: number): { host: string; port: number } {
  const at = address.lastIndexOf(":");
  return at < 0 ? { host: address, port: defaultPort } : { host: address.slice(0, at), port: Number(address.slice(at + 1)) };
}

const urlTarget = (url: string, defaultPort: number) => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || defaultPort) };
};

const through = (url: string, relay: TurnCounter): string => {
  const u = new URL(url);
  u.host = relay.address;
  return u.toString().replace(/\/$/, "");
};

/**
 * Starts a second API process whose every backend address is a counting relay, builds the probes
 * on the relays too (`probesFor` connects this process's clients to the relayed addresses), runs
 * each probe `requests` times after a warm-up that fills the caches, and reads per request how
 * many round trips it made to each backend and how many connections it opened. Background work
 * of the API process (the bridge's lease, the signing keys, the 5-second device cache) shows in
 * the means, not in the medians.
 */
export async function countRoundTrips(
  config: Config,
  probesFor: (apiUrl: string, relayed: RelayedEnv) => Promise<{ probes: readonly Probe[]; close: () => Promise<void> }>,
  requests = 30,
): Promise<Map<string, RoundTrips>> {
  const relays: Record<TripBackend, TurnCounter> = {
    Postgres: await startTurnCounter(urlTarget(config.DATABASE_URL, 5432)),
    InfluxDB: await startTurnCounter(urlTarget(config.INFLUX_URL, 8086)),
    MQTT: await startTurnCounter(urlTarget(config.MQTT_URL, 1883)),
    Temporal: await startTurnCounter(hostPort(config.TEMPORAL_ADDRESS, 7233)),
    Stripe: await startTurnCounter(urlTarget(config.STRIPE_API_BASE, 80)),
  };
  if (urlTarget(config.DATABASE_OPS_URL, 5432).port !== urlTarget(config.DATABASE_URL, 5432).port) {
    throw new Error("the operators' database is another server; the relay counts one");
  }
  const env = {
    DATABASE_URL: through(config.DATABASE_URL, relays.Postgres),
    DATABASE_OPS_URL: through(config.DATABASE_OPS_URL, relays.Postgres),
    INFLUX_URL: through(config.INFLUX_URL, relays.InfluxDB),
    MQTT_URL: through(config.MQTT_URL, relays.MQTT),
    TEMPORAL_ADDRESS: relays.Temporal.address,
    STRIPE_API_BASE: through(config.STRIPE_API_BASE, relays.Stripe),
    MQTT_BRIDGE: "on",
  };
  const read = () => TRIP_BACKENDS.map((b) => relays[b].read());
  const out = new Map<string, RoundTrips>();
  try {
    await withApi({ env }, async (api) => {
      const { probes, close } = await probesFor(api.url, env);
      try {
        await countEach(probes);
      } finally {
        await close();
      }
    });
  } finally {
    await Promise.all(Object.values(relays).map((r) => r.close()));
  }
  return out;

  async function countEach(probes: readonly Probe[]): Promise<void> {
    for (const probe of probes) {
      for (let i = 0; i < 3; i++) await probe.run();
      const perRequest: Turns[][] = [];
      for (let i = 0; i < requests; i++) {
        const before = read();
        await probe.run();
        const after = read();
        perRequest.push(after.map((a, k) => minusTurns(a, before[k] ?? a)));
      }
      const column = (k: number) => perRequest.map((r) => r[k]?.trips ?? 0);
      const stat = (f: (values: number[]) => number) =>
        Object.fromEntries(TRIP_BACKENDS.map((b, k) => [b, f(column(k))])) as Record<TripBackend, number>;
      const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
      const connections = mean(perRequest.map((r) => r.reduce((s, t) => s + t.connections, 0)));
      out.set(`${probe.backend}: ${probe.label}`, { median: stat(median), mean: stat(mean), connections });
    }
  }
}
