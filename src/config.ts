import { z } from "zod";
import { parseAllowList } from "./outbound/allow-list.js";

/**
 * The one place that reads the environment. Parsed once at start-up and passed down;
 * a wrong or missing variable stops start-up with a message naming it.
 */
const postgresUrl = z
  .string()
  .url()
  .refine((v) => v.startsWith("postgres://") || v.startsWith("postgresql://"), {
    message: "must be a postgres:// URL",
  });

const mqttUrl = z
  .string()
  .url()
  .refine((v) => /^(mqtts?|wss?):\/\//.test(v), { message: "must be an mqtt://, mqtts://, ws:// or wss:// URL" });

const secret = (min: number) => z.string().min(min, { message: `must be at least ${min} characters` });

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Who sees /readyz's per-service detail: operators and this machine ("loopback"), or operators only. */
  READYZ_DETAIL: z.enum(["loopback", "operators"]).default("loopback"),
  DATABASE_URL: postgresUrl,
  DATABASE_OPS_URL: postgresUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  INFLUX_URL: z.string().url(),
  INFLUX_USERNAME: z.string().min(1),
  INFLUX_PASSWORD: z.string().min(1),
  MQTT_URL: z
    .string()
    .url()
    .refine((v) => /^mqtts?:\/\//.test(v), { message: "must be an mqtt:// or mqtts:// URL" }),
  /**
   * The broker address devices are told to connect to (createDevice, createDeviceToken and
   * Device.endpoints answer it). Unset: MQTT_URL, the broker this API connects to; set it where
   * devices reach the broker by another name (a public host name, mqtts:// on 8883, a load balancer).
   */
  MQTT_PUBLIC_URL: mqttUrl.optional(),
  /**
   * The API's address as devices reach it, for the HTTP write URLs devices are told. Unset:
   * PORTAL_URL (the API serves the portal, so that is its own public address).
   */
  API_PUBLIC_URL: z
    .string()
    .url()
    .refine((v) => /^https?:\/\//.test(v), { message: "must be an http:// or https:// URL" })
    .optional(),
  MQTT_ADMIN_USERNAME: z.string().min(1),
  MQTT_ADMIN_PASSWORD: z.string().min(1),
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, { message: "must be host:port" }),
  TEMPORAL_NAMESPACE: z.string().min(1).default("default"),
  STRIPE_API_BASE: z.string().url().default("https://api.stripe.com"),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, { message: "must start with sk_test_, sk_live_, rk_test_ or rk_live_" }),
  STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w{16,}$/, { message: "must be the endpoint's signing secret (whsec_...)" }),
  /**
   * The portal's public address (the API serves it, so by default the API's own): invitation
   * links open its /invitation page; Checkout and the Customer Portal send the customer back to it.
   */
  PORTAL_URL: z.string().url().default("http://127.0.0.1:4000"),
  /** Days a tenant with a failed payment keeps writing before it becomes read-only. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /**
   * on: Checkout sells the metered components on the pre-aggregated hourly meters (the plans'
   * `_hourly` prices, npm run billing:hourly-meters), and a new subscription's hours go there from
   * the hour it starts in. off: the per-event meters, except for a tenant switched already.
   */
  BILLING_HOURLY_METERS: z.enum(["on", "off"]).default("off"),
  AUTH_ISSUER: z.string().url().default("https://pdm.local"),
  AUTH_AUDIENCE: z.string().min(1).default("pdm-api"),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  AUTH_KEY_ENCRYPTION_SECRET: secret(32),
  /** Sign-ups per client address and hour before each further one waits (a minute, doubling up to an hour). */
  AUTH_SIGN_UPS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),
  /**
   * The reverse proxies whose X-Forwarded-For names the client (comma-separated addresses, CIDR
   * ranges, or loopback / linklocal / uniquelocal). Empty: the socket's peer is the client.
   */
  TRUST_PROXY: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((p) => p.trim())
        .filter((p) => p !== ""),
    )
    .refine((list) => list.every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(p)), {
      message: "must list addresses, CIDR ranges or loopback/linklocal/uniquelocal, comma-separated",
    }),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(50).default(10),
  GRAPHQL_MAX_QUERY_BYTES: z.coerce.number().int().min(256).max(1_000_000).default(20_000),
  /** Lexical tokens of a GraphQL document; parsing stops at the first one over. */
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(100).max(100_000).default(5_000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).max(10_000).default(30),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(1).max(10_000).default(30),
  /** The most an operation may cost (points, computed before execution; see docs/architecture.md). */
  GRAPHQL_MAX_COST: z.coerce.number().int().min(100).max(10_000_000).default(5_000),
  /** Cost points per minute of each member and API key when the tenant's plan does not set them. */
  GRAPHQL_COST_PER_MINUTE: z.coerce.number().int().min(1).max(100_000_000).default(60_000),
  /** Cost points per minute of the requests without a token, per client address. */
  GRAPHQL_ANONYMOUS_COST_PER_MINUTE: z.coerce.number().int().min(1).max(100_000_000).default(3_000),
  /** off: no alias, directive, cost or rate limits (for benchmarks only; depth, tokens and size stay). */
  GRAPHQL_LIMITS: z.enum(["on", "off"]).default("on"),
  /**
   * The GraphQL IDE (GraphiQL, built with the portal) at GET /graphql for browsers. Default: on in
   * development and test, off in production.
   */
  GRAPHQL_IDE: z.enum(["on", "off"]).optional(),
  INGEST_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(100 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  /** Rows one /query request may answer (InfluxQL reads); a statement past it is refused whole. */
  QUERY_MAX_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  MQTT_BRIDGE: z.enum(["on", "off"]).default("on"),
  /** Seconds between runs of the telemetry rollup step in this copy (0: never; another copy or a test runs it). */
  TELEMETRY_ROLLUP_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(15),
  /** Whether telemetryAggregate reads hourly rollups where they are exact ("off": always the raw points). */
  TELEMETRY_ROLLUP_READS: z.enum(["on", "off"]).default("on"),
  MQTT_BRIDGE_CLIENT_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: "must be 1 to 64 letters, digits, _ . or -" })
    .refine((v) => !v.startsWith("pdmd_"), { message: 'must not start with "pdmd_" (the client ids of devices)' })
    .optional(),
  /** Seconds between SIGTERM (/readyz turns 503) and closing the listener, for a load balancer to notice. */
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().int().min(0).max(120).default(0),
  /** How long a copy's hold on its bridge identity lasts unrenewed: a dead copy's share waits this long. */
  MQTT_BRIDGE_LEASE_SECONDS: z.coerce.number().int().min(2).max(300).default(15),
  /** Customers' webhooks may be plain http:// (development and tests only; refused in production). */
  WEBHOOK_ALLOW_HTTP: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Non-public addresses webhooks may reach anyway: address[/prefix][:port], comma-separated. */
  WEBHOOK_ALLOWED_ADDRESSES: z
    .string()
    .default("")
    .transform((v, ctx) => {
      const { entries, invalid } = parseAllowList(v);
      if (invalid.length > 0)
        ctx.addIssue({ code: "custom", message: `has entries that are not address[/prefix][:port]: ${invalid.join(", ")}` });
      return entries;
    }),
  /** A webhook request's time limit: resolving, connecting, sending and the answer's status. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(20_000).default(5_000),
});

/** Settings that are fine one by one but not together, and the defaults taken from NODE_ENV or other settings. */
const checkedSchema = envSchema
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === "production" && config.WEBHOOK_ALLOW_HTTP)
      ctx.addIssue({ code: "custom", path: ["WEBHOOK_ALLOW_HTTP"], message: "must be false in production: webhooks use https" });
  })
  .transform((config) => ({
    ...config,
    GRAPHQL_IDE: config.GRAPHQL_IDE ?? (config.NODE_ENV === "production" ? "off" : "on"),
    MQTT_PUBLIC_URL: config.MQTT_PUBLIC_URL ?? config.MQTT_URL,
    API_PUBLIC_URL: (config.API_PUBLIC_URL ?? config.PORTAL_URL).replace(/\/+$/, ""),
  }));

export type Config = z.output<typeof checkedSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const result = checkedSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    const value = env[name];
    const why = value === undefined ? "is not set" : issue.message;
    return `${name} ${why}`;
  });
  throw new ConfigError(problems);
}

const ownerSchema = z.object({ DATABASE_OWNER_URL: postgresUrl });

/** For the migrate command only: the owner role's connection. */
export function parseOwnerConfig(env: Readonly<Record<string, string | undefined>>): z.infer<typeof ownerSchema> {
  const result = ownerSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((i) => `${i.path.join(".")} ${env[String(i.path[0])] === undefined ? "is not set" : i.message}`),
  );
}
