import mqtt from "mqtt";
import { BRIDGE_SUBSCRIPTION } from "./mqtt-admin.js";

/** How long the broker keeps a bridge session (and the messages queued in it) with no copy connected. */
export const SESSION_EXPIRY_SECONDS = 7 * 86_400;

/** MQTT 5 reason code of a DISCONNECT sent because another client connected with the same id. */
const SESSION_TAKEN_OVER = 142;

/** What the bridge reads of a message's MQTT 5 properties. */
export interface MessageProperties {
  /** The publisher's user properties, as the broker forwards them (a name sent twice holds a list). */
  readonly userProperties?: Readonly<Record<string, string | string[]>> | undefined;
}

export interface SessionOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly clientId: string;
  /**
   * Handles one message; the broker gets its PUBACK once this resolves, and sends the next. When
   * `signal` aborts (the session closes) and the handler rejects, no PUBACK is sent: the message
   * stays the session's and is sent again when it is resumed.
   */
  readonly handle: (topic: string, payload: Buffer, signal: AbortSignal, properties: MessageProperties) => Promise<void>;
  /** The broker ended this connection because another one took the session over. */
  readonly onTakenOver?: () => void;
  readonly onConnect?: (sessionPresent: boolean) => void;
  readonly onError?: (error: Error) => void;
}

export interface BridgeSession {
  readonly clientId: string;
  /** Whether the broker still had this id's session (and whatever was queued in it). */
  readonly sessionPresent: boolean;
  subscribe(): Promise<void>;
  /**
   * Unsubscribes, then handles what the broker had already assigned to this session until no
   * message came for `quietMs`. False when messages still came after `maxMs`.
   */
  drain(quietMs: number, maxMs: number): Promise<boolean>;
  /** Finishes the message in hand and disconnects; `endSession` deletes the broker's session. */
  close(endSession: boolean): Promise<void>;
}

/**
 * One persistent MQTT 5 session of the bridge, resumed if the broker still has it. Messages are
 * handled one at a time and acknowledged only once handled: what is not acknowledged stays the
 * session's, and is sent again when the session is resumed, by this copy or another.
 */
export async function openBridgeSession(options: SessionOptions): Promise<BridgeSession> {
  const client = mqtt.connect(options.url, {
    username: options.username,
    password: options.password,
    clientId: options.clientId,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS },
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
  });
  let busy = false;
  let lastActivity = Date.now();
  let inHand: Promise<void> = Promise.resolve();
  const closing = new AbortController();
  // The handler is in place before the session resumes: queued messages are not acknowledged unread.
  client.handleMessage = (packet, done) => {
    const payload = typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
    busy = true;
    lastActivity = Date.now();
    const properties = { userProperties: packet.properties?.userProperties };
    inHand = options.handle(packet.topic, payload, closing.signal, properties).then(
      () => {
        busy = false;
        lastActivity = Date.now();
        done();
      },
      () => {
        busy = false;
      },
    );
  };
  client.on("disconnect", (packet) => {
    if (packet.reasonCode !== SESSION_TAKEN_OVER) return;
    // Reconnecting would take it back in turn: the two would take turns for ever.
    client.end(true);
    options.onTakenOver?.();
  });

  const connack = await new Promise<mqtt.IConnackPacket>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("The MQTT bridge could not connect within 10 s")), 10_000);
    client.once("connect", (packet) => {
      clearTimeout(timer);
      resolve(packet);
    });
    client.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  }).catch(async (error: unknown) => {
    await client.endAsync(true);
    throw error;
  });
  client.on("connect", (packet) => options.onConnect?.(packet.sessionPresent));
  client.on("error", (err) => options.onError?.(err));

  return {
    clientId: options.clientId,
    sessionPresent: connack.sessionPresent,
    async subscribe() {
      const granted = await client.subscribeAsync(BRIDGE_SUBSCRIPTION, { qos: 1 });
      if (granted.some((g) => g.qos > 2)) throw new Error(`The broker refused the bridge subscription ${BRIDGE_SUBSCRIPTION}`);
    },
    async drain(quietMs, maxMs) {
      await client.unsubscribeAsync(BRIDGE_SUBSCRIPTION);
      const started = Date.now();
      lastActivity = Date.now();
      while (busy || Date.now() - lastActivity < quietMs) {
        if (Date.now() - started > maxMs) return false;
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, quietMs)));
      }
      return true;
    },
    async close(endSession) {
      closing.abort();
      await inHand;
      if (client.disconnected || client.disconnecting) {
        await client.endAsync(true);
        return;
      }
      // A session can be ended only by a connected client: with the broker away, it stays.
      if (endSession && client.connected) await client.endAsync(false, { properties: { sessionExpiryInterval: 0 } });
      else await client.endAsync(!client.connected);
    },
  };
}
