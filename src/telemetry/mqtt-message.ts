import type { DevicePrincipal } from "../core/context.js";
import { AppError, validation } from "../core/errors.js";
import { isDatabaseUnavailable } from "../db/client.js";
import type { MessageProperties } from "./bridge-session.js";
import type { IngestDeps } from "./deps.js";
import { attributable, pointsInBody, recordRefusal } from "./diagnostics.js";
import { findDevice, ingest } from "./ingest.js";
import type { Precision } from "./line-protocol.js";
import { deviceIdOfTopic } from "./mqtt-admin.js";
import { StoreRefusedError, StoreUnavailableError } from "./store.js";

export interface BridgeStats {
  accepted: number;
  points: number;
  rejected: number;
  failed: number;
}

interface MessageLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** The precisions a device may name in the MQTT 5 user property `precision` (the v2 write API's names). */
export const MQTT_PRECISIONS = ["ns", "us", "ms", "s"] as const;

/** Timestamps of MQTT messages without a `precision` user property: nanoseconds, as line protocol's default. */
export const MQTT_DEFAULT_PRECISION: Precision = "ns";

/** The batch precision a message asks for in its MQTT 5 user property `precision`; nanoseconds without one. */
export function precisionOf(properties: MessageProperties): Precision {
  const value = properties.userProperties?.precision;
  if (value === undefined) return MQTT_DEFAULT_PRECISION;
  const named = typeof value === "string" ? value : value.length === 1 ? value[0] : undefined;
  const precision = MQTT_PRECISIONS.find((p) => p === named);
  if (!precision) {
    throw validation(
      `The MQTT user property "precision" must be one of ${MQTT_PRECISIONS.join(", ")} (sent once); got ${JSON.stringify(value).slice(0, 80)}.`,
      { property: "precision" },
    );
  }
  return precision;
}

/** Waits between tries while a backend is down; the last one repeats until it is back. */
const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000];

const transient = (error: unknown) => error instanceof StoreUnavailableError || isDatabaseUnavailable(error);

function pause(attempt: number, signal: AbortSignal): Promise<void> {
  const ms = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] ?? 5_000;
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Runs `fn` until it succeeds or fails for good; while Postgres or InfluxDB is down, it waits. */
async function untilAvailable<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!transient(error)) throw error;
      await pause(attempt, signal);
    }
  }
}

/**
 * The bridge's handling of one message: the device from its topic (the broker authenticated
 * the client and enforced its topic), then the HTTP ingest path. A refused batch is logged,
 * counted in the device's diagnostics (where the device's owner reads why) and acknowledged
 * (sending it again would not change the answer); while a backend is down the
 * message is retried, not acknowledged, so the broker keeps it and the devices' next messages.
 * The handler rejects only when `signal` aborts: the message then stays unacknowledged.
 */
export function createMessageHandler(deps: IngestDeps, options: { readonly maxBodyBytes: number; readonly log: MessageLog }) {
  const stats: BridgeStats = { accepted: 0, points: 0, rejected: 0, failed: 0 };
  /** Messages handled by this bridge, as their request ids in the logs. */
  let received = 0;

  /** Counts a refusal in the device's diagnostics; while Postgres is down it waits, as the ingest does. */
  async function record(device: DevicePrincipal, requestId: string, refusal: AppError, body: string | undefined, signal: AbortSignal) {
    if (!attributable(refusal)) return;
    const points = body === undefined ? 0 : pointsInBody(body);
    const ctx = { principal: device, requestId, deps };
    await untilAvailable(() => recordRefusal(ctx, { protocol: "mqtt", refusal, points }), signal).catch((error: unknown) => {
      if (signal.aborted) throw error;
      options.log.warn({ err: error, deviceId: device.deviceId }, "a refused MQTT batch could not be recorded in the device's diagnostics");
    });
  }

  async function handle(topic: string, payload: Buffer, signal: AbortSignal, properties: MessageProperties = {}): Promise<void> {
    let device: DevicePrincipal | undefined;
    let body: string | undefined;
    const requestId = `mqtt-${++received}`;
    try {
      const deviceId = deviceIdOfTopic(topic);
      device = deviceId === undefined ? undefined : await untilAvailable(() => findDevice(deps.db, deviceId), signal);
      if (!device) {
        stats.rejected++;
        options.log.warn({ topic }, "MQTT message from an unknown or revoked device ignored");
        return;
      }
      if (payload.length > options.maxBodyBytes) {
        throw validation(`The message is larger than ${options.maxBodyBytes} bytes; send smaller batches.`, { bytes: payload.length });
      }
      const precision = precisionOf(properties);
      body = payload.toString("utf8");
      const text = body;
      const ctx = { principal: device, requestId, deps };
      const result = await untilAvailable(() => ingest(ctx, { body: text, raw: payload, precision, source: "mqtt" }), signal);
      stats.accepted++;
      stats.points += result.points;
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof AppError) {
        stats.rejected++;
        options.log.warn({ topic, code: error.code, reason: error.message }, "MQTT batch refused");
        if (device) await record(device, requestId, error, body, signal);
        return;
      }
      stats.failed++;
      const what =
        error instanceof StoreRefusedError ? "BUG: InfluxDB refused part of a validated batch" : "MQTT batch could not be written";
      options.log.error({ err: error, topic }, what);
    }
  }

  return { stats, handle };
}
