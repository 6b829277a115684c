import type { DevicePrincipal } from "../core/context.js";
import { AppError } from "../core/errors.js";
import { isDatabaseUnavailable } from "../db/client.js";
import type { IngestDeps } from "./deps.js";
import { findDevice, ingest } from "./ingest.js";
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
 * the client and enforced its topic), then the HTTP ingest path. A refused batch is logged and
 * acknowledged (sending it again would not change the answer); while a backend is down the
 * message is retried, not acknowledged, so the broker keeps it and the devices' next messages.
 * The handler rejects only when `signal` aborts: the message then stays unacknowledged.
 */
export function createMessageHandler(deps: IngestDeps, options: { readonly maxBodyBytes: number; readonly log: MessageLog }) {
  const stats: BridgeStats = { accepted: 0, points: 0, rejected: 0, failed: 0 };
  /** Messages handled by this bridge, as their request ids in the logs. */
  let received = 0;

  async function handle(topic: string, payload: Buffer, signal: AbortSignal): Promise<void> {
    if (payload.length > options.maxBodyBytes) {
      stats.rejected++;
      options.log.warn({ topic, bytes: payload.length }, `MQTT message over ${options.maxBodyBytes} bytes refused`);
      return;
    }
    try {
      const deviceId = deviceIdOfTopic(topic);
      const device: DevicePrincipal | undefined =
        deviceId === undefined ? undefined : await untilAvailable(() => findDevice(deps.db, deviceId), signal);
      if (!device) {
        stats.rejected++;
        options.log.warn({ topic }, "MQTT message from an unknown or revoked device ignored");
        return;
      }
      const body = payload.toString("utf8");
      const ctx = { principal: device, requestId: `mqtt-${++received}`, deps };
      const result = await untilAvailable(() => ingest(ctx, { body, raw: payload, precision: "ns", source: "mqtt" }), signal);
      stats.accepted++;
      stats.points += result.points;
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof AppError) {
        stats.rejected++;
        options.log.warn({ topic, code: error.code, reason: error.message }, "MQTT batch refused");
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
