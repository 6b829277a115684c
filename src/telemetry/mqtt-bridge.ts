import { randomBytes } from "node:crypto";
import mqtt from "mqtt";
import { AppError } from "../core/errors.js";
import { isDatabaseUnavailable } from "../db/client.js";
import { type DeviceRef, findDevice, type IngestDeps, ingestBatch } from "./ingest.js";
import { BRIDGE_SUBSCRIPTION, deviceIdOfTopic } from "./mqtt-admin.js";
import { StoreRefusedError, StoreUnavailableError } from "./store.js";

export interface BridgeLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BridgeOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly log: BridgeLog;
  /** Larger messages are refused (as over HTTP). */
  readonly maxBodyBytes: number;
  /** A stable id per API process keeps its broker session across restarts; unset: a fresh one. */
  readonly clientId?: string | undefined;
}

export interface BridgeStats {
  accepted: number;
  points: number;
  rejected: number;
  failed: number;
}

export interface MqttBridge {
  readonly stats: Readonly<BridgeStats>;
  close(): Promise<void>;
}

/** How long the broker keeps a stable bridge's session (and its share of messages) while it is away. */
export const SESSION_EXPIRY_SECONDS = 3_600;

const RETRY_DELAYS_MS = [500, 1_000, 2_000, 5_000, 10_000];

/** The device of a topic; while Postgres is unreachable, retried as a write to InfluxDB would be. */
async function findDeviceRetrying(deps: IngestDeps, deviceId: string): Promise<DeviceRef | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await findDevice(deps.db, deviceId);
    } catch (error) {
      const delay = RETRY_DELAYS_MS[attempt];
      if (!isDatabaseUnavailable(error) || delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Subscribes (as one member of a shared subscription, so each message is handled by one API
 * process) to every device topic and writes each message through the same ingest path as HTTP.
 * The broker authenticated the device and enforced its topic; a device that was deleted or whose
 * tokens are all revoked is ignored. Messages are line protocol with nanosecond timestamps.
 */
export async function startMqttBridge(deps: IngestDeps, options: BridgeOptions): Promise<MqttBridge> {
  const stats: BridgeStats = { accepted: 0, points: 0, rejected: 0, failed: 0 };
  // With a stable client id the broker keeps the bridge's session (and the messages that arrive
  // while this process restarts) for an hour; without one, each process has a fresh session.
  const persistent = options.clientId !== undefined;
  const client = mqtt.connect(options.url, {
    username: options.username,
    password: options.password,
    clientId: options.clientId ?? `pdm-bridge-${randomBytes(6).toString("hex")}`,
    clean: !persistent,
    protocolVersion: 5,
    properties: persistent ? { sessionExpiryInterval: SESSION_EXPIRY_SECONDS } : {},
    reconnectPeriod: 2_000,
    connectTimeout: 5_000,
  });

  async function handle(topic: string, payload: Buffer): Promise<void> {
    if (payload.length > options.maxBodyBytes) {
      stats.rejected++;
      options.log.warn({ topic, bytes: payload.length }, `MQTT message over ${options.maxBodyBytes} bytes refused`);
      return;
    }
    const deviceId = deviceIdOfTopic(topic);
    const device = deviceId === undefined ? undefined : await findDeviceRetrying(deps, deviceId);
    if (!device) {
      stats.rejected++;
      options.log.warn({ topic }, "MQTT message from an unknown or revoked device ignored");
      return;
    }
    const body = payload.toString("utf8");
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await ingestBatch(deps, device, { body, raw: payload, precision: "ns", source: "mqtt" });
        stats.accepted++;
        stats.points += result.points;
        return;
      } catch (error) {
        if (error instanceof AppError) {
          stats.rejected++;
          options.log.warn(
            { deviceId: device.deviceId, tenantId: device.tenantId, code: error.code, reason: error.message },
            "MQTT batch refused",
          );
          return;
        }
        const delay = RETRY_DELAYS_MS[attempt];
        const transient = error instanceof StoreUnavailableError || isDatabaseUnavailable(error);
        if (!transient || delay === undefined) {
          stats.failed++;
          const what =
            error instanceof StoreRefusedError ? "BUG: InfluxDB refused part of a validated batch" : "MQTT batch could not be written";
          options.log.error({ err: error, deviceId: device.deviceId }, what);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  // One message at a time, acknowledged (PUBACK) only once it was handled: the broker holds the
  // rest, so a slow InfluxDB slows devices down instead of filling this process's memory.
  let handling: Promise<void> = Promise.resolve();
  client.handleMessage = (packet, done) => {
    const payload = typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
    handling = handle(packet.topic, payload)
      .catch((error: unknown) => {
        stats.failed++;
        options.log.error({ err: error, topic: packet.topic }, "MQTT message could not be handled");
      })
      .finally(() => done());
  };

  // The handler is in place before the session resumes: queued messages are not acknowledged unread.
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("The MQTT bridge could not connect within 10 s")), 10_000);
    client.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    client.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  }).catch(async (error: unknown) => {
    await client.endAsync(true);
    throw error;
  });
  const granted = await client.subscribeAsync(BRIDGE_SUBSCRIPTION, { qos: 1 });
  if (granted.some((g) => g.qos > 2)) throw new Error(`The broker refused the bridge subscription ${BRIDGE_SUBSCRIPTION}`);
  client.on("connect", () => options.log.info({}, "MQTT bridge connected"));
  client.on("error", (err) => options.log.warn({ err }, "MQTT bridge error"));

  return {
    stats,
    async close() {
      await handling;
      await client.endAsync();
    },
  };
}
