import { randomBytes } from "node:crypto";
import { bridgeLeases } from "./bridge-leases.js";
import { type BridgeSession, openBridgeSession } from "./bridge-session.js";
import { type BridgeStats, createMessageHandler } from "./mqtt-message.js";

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
  /** A fixed broker client id for this copy; unset: the lowest free pdm-bridge-<n>. */
  readonly clientId?: string | undefined;
  /** How long a copy's claim on its id lasts without renewal (a dead copy's session waits this long). */
  readonly leaseSeconds: number;
}

export interface MqttBridge {
  readonly stats: Readonly<BridgeStats>;
  /** Drains this copy's share (when another copy stays subscribed) and disconnects. */
  close(): Promise<void>;
}

/** A drain ends once no message came for this long: the broker sends the next as soon as one is acknowledged. */
const QUIET_MS = 500;
const MAX_DRAIN_MS = 20_000;

/**
 * Subscribes to every device topic as one member of a shared subscription, so that each message
 * is handled by one API copy, and writes it through the same ingest path as HTTP.
 *
 * Nothing the broker acknowledged to a device is lost when copies come and go: each copy holds a
 * persistent session under its own client id, leased in Postgres so that no two live copies share
 * one. A message is acknowledged to the broker only once written (and billed, idempotently by its
 * content). On SIGTERM a copy unsubscribes, handles what the broker had assigned to it, and leaves;
 * the last copy keeps its subscription, so the broker queues for it until a copy starts again.
 * The session of a copy that died is resumed by the next copy that claims its id, or drained by a
 * live copy as soon as its lease expires.
 */
export async function startMqttBridge(deps: Parameters<typeof createMessageHandler>[0], options: BridgeOptions): Promise<MqttBridge> {
  const holder = `api-${randomBytes(8).toString("hex")}`;
  const leases = bridgeLeases(deps.db, holder, options.leaseSeconds);
  const { stats, handle } = createMessageHandler(deps, options);
  const connect = (clientId: string, onTakenOver?: () => void) =>
    openBridgeSession({
      url: options.url,
      username: options.username,
      password: options.password,
      clientId,
      handle,
      onTakenOver,
      onConnect: (sessionPresent) => options.log.info({ clientId, sessionPresent }, "MQTT bridge connected"),
      onError: (err) => options.log.warn({ err, clientId }, "MQTT bridge error"),
    });

  let stopping = false;
  let session: BridgeSession;
  let rebinding: Promise<void> | undefined;

  async function bind(): Promise<BridgeSession> {
    const clientId = await leases.claim(options.clientId);
    try {
      const opened = await connect(clientId, () => void rebind("the broker handed this session to another client"));
      await opened.subscribe();
      options.log.info({ clientId, resumed: opened.sessionPresent }, "MQTT bridge subscribed");
      return opened;
    } catch (error) {
      await leases.release(clientId, false).catch(() => undefined);
      throw error;
    }
  }

  /** The lease was lost (this process stalled past it, and another copy took the id): claim another. */
  function rebind(why: string): Promise<void> {
    if (stopping) return Promise.resolve();
    rebinding ??= (async () => {
      options.log.error({ clientId: session.clientId, why }, "MQTT bridge lost its identity; claiming another");
      await session.close(false).catch(() => undefined);
      for (;;) {
        try {
          session = await bind();
          return;
        } catch (error) {
          if (stopping) return;
          options.log.error({ err: error }, "MQTT bridge could not claim an identity; trying again");
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      }
    })().finally(() => {
      rebinding = undefined;
    });
    return rebinding;
  }

  /** Resumes the session of an expired lease, handles what was queued in it, and ends it. */
  async function adoptOne(): Promise<boolean> {
    const clientId = await leases.adopt();
    if (clientId === undefined) return false;
    // The adopted lease is renewed while its queue drains, so no other copy adopts it meanwhile.
    const keep = setInterval(() => void leases.renew(clientId).catch(() => undefined), period);
    try {
      const orphan = await connect(clientId);
      const quiet = await orphan.drain(QUIET_MS, MAX_DRAIN_MS);
      await orphan.close(quiet);
      await leases.release(clientId, quiet);
      options.log.info(
        { clientId, sessionPresent: orphan.sessionPresent, ended: quiet },
        "MQTT bridge drained a session left by another copy",
      );
    } finally {
      clearInterval(keep);
    }
    return true;
  }

  const period = Math.max(500, Math.floor((options.leaseSeconds * 1000) / 3));
  session = await bind();
  let adopting: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (stopping || rebinding) return;
    leases
      .renew(session.clientId)
      .then((held) => (held ? undefined : rebind("its lease expired and was taken")))
      .catch((error: unknown) => options.log.warn({ err: error }, "MQTT bridge could not renew its lease; retrying"));
    adopting ??= (async () => {
      while (!stopping && (await adoptOne()));
    })()
      .catch((error: unknown) => options.log.warn({ err: error }, "MQTT bridge could not drain a left session; retrying"))
      .finally(() => {
        adopting = undefined;
      });
  }, period);
  timer.unref();

  return {
    stats,
    async close() {
      stopping = true;
      clearInterval(timer);
      await adopting;
      await rebinding;
      const clientId = session.clientId;
      // Only while another copy stays subscribed may this one unsubscribe: with none, messages
      // published meanwhile would reach no session and be dropped.
      const others = await leases.leave(clientId).catch(() => false);
      const quiet = others ? await session.drain(QUIET_MS, MAX_DRAIN_MS).catch(() => false) : false;
      // Drained: the session is empty and ends. Else it stays with the broker, and the next copy
      // to claim the id resumes it, or a live copy drains and ends it.
      await session.close(quiet);
      await leases.release(clientId, quiet).catch(() => undefined);
      options.log.info({ clientId, drained: quiet, othersSubscribed: others }, "MQTT bridge stopped");
    },
  };
}
