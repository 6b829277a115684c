/**
 * Manages device and bridge credentials on the Mosquitto broker through the
 * dynamic-security plugin's control topic.
 *
 * Behaviour of Mosquitto 2.0.11's plugin that this module relies on (verified
 * against the broker the tests run on):
 * - every command that changes a client (modifyClient, setClientPassword,
 *   add/removeClientRole, add/removeGroupClient, deleteClient) disconnects the
 *   sessions authenticated with that username at once; role ACL changes do not
 *   disconnect anyone, they apply to the next operation;
 * - a subscription to `$share/<group>/<filter>` is checked against the ACLs
 *   with the `$share/<group>/` prefix included, so the bridge role needs an ACL
 *   for both forms;
 * - the default ACL access written by `mosquitto_ctrl dynsec init` denies
 *   publishClientSend and subscribe and allows publishClientReceive and
 *   unsubscribe. The roles below nevertheless deny `#` themselves, so they do
 *   not depend on that broker-wide setting;
 * - deleting a role that a client still holds leaves a dangling reference that
 *   crashes the broker on a later command (eclipse/mosquitto#2660), so this
 *   module never deletes roles: a `device:<id>` role outlives its credentials;
 * - a client created or modified with a `clientid` may connect only under that
 *   client id: the broker refuses any other at CONNECT, before a session is
 *   taken over. Every device credential is bound to its own username as client
 *   id, so a device can never take the bridge's session or another device's.
 */
import { createHash, randomUUID } from "node:crypto";
import type { MqttClient } from "mqtt";
import mqtt from "mqtt";
import { z } from "zod";

export interface MqttAdminOptions {
  url: string;
  username: string;
  password: string;
  clientId?: string;
}

export interface MqttAdmin {
  /** Creates (or updates the password of) the bridge's credential with a role that may subscribe to and receive devices/+/telemetry (incl. the $share form). Idempotent. */
  ensureBridgeCredential(username: string, password: string): Promise<void>;
  /** A device token's credential: may publish only to devices/<deviceId>/telemetry. Idempotent (same username → password and role updated). */
  upsertDeviceCredential(input: { username: string; password: string; deviceId: string }): Promise<void>;
  /** Removes a credential; a client connected with it is disconnected. Removing a missing one is not an error. */
  removeCredential(username: string): Promise<void>;
  /**
   * Brings the broker to the current rules: default access denied, every `device:<id>` role with
   * exactly the device ACLs, every client holding such a role bound to its username as client id.
   * Idempotent; changes (and so disconnects) only what differs.
   */
  reconcileDevices(): Promise<{ roles: number; clients: number }>;
  close(): Promise<void>;
}

/** A dynamic-security command the broker answered with an error. */
export class DynsecCommandError extends Error {
  constructor(
    readonly command: string,
    readonly brokerError: string,
  ) {
    super(`MQTT dynamic-security command ${command} failed: ${brokerError}`);
    this.name = "DynsecCommandError";
  }
}

const CONTROL_TOPIC = "$CONTROL/dynamic-security/v1";
const RESPONSE_TOPIC = `${CONTROL_TOPIC}/response`;
const COMMAND_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;
const CLOSE_GRACE_MS = 2_000;

const DEVICE_TOPIC_FILTER = "devices/+/telemetry";
const BRIDGE_SHARE_GROUP = "pdm-ingest";
const BRIDGE_ROLE = "pdm-ingest-bridge";

/** The shared subscription the ingest bridge uses; every API process joins the same group. */
export const BRIDGE_SUBSCRIPTION = `$share/${BRIDGE_SHARE_GROUP}/${DEVICE_TOPIC_FILTER}`;

/** Longest device id or username accepted; far below MQTT's 65535-byte limit on topics and usernames. */
const MAX_NAME_LENGTH = 256;
const FORBIDDEN_NAME_CHARS = /[\s+#/\p{Cc}]/u;

function invalidName(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length === 0) return "must be a non-empty string";
  if (value.length > MAX_NAME_LENGTH) return `must be at most ${MAX_NAME_LENGTH} characters`;
  if (FORBIDDEN_NAME_CHARS.test(value)) return "must not contain '+', '#', '/', whitespace or control characters";
  return undefined;
}

function assertName(kind: string, value: unknown): asserts value is string {
  const problem = invalidName(value);
  if (problem !== undefined) throw new Error(`Invalid MQTT ${kind} ${JSON.stringify(value)}: ${problem}`);
}

function assertPassword(value: unknown): asserts value is string {
  if (typeof value !== "string" || value.length === 0) throw new Error("Invalid MQTT password: must be a non-empty string");
  if (Buffer.byteLength(value, "utf8") > 65_535) throw new Error("Invalid MQTT password: longer than 65535 bytes");
}

/** The only topic a device may publish to: `devices/<deviceId>/telemetry`. */
export const deviceTopic = (deviceId: string): string => {
  assertName("deviceId", deviceId);
  return `devices/${deviceId}/telemetry`;
};

/** The device id of a `devices/<id>/telemetry` topic, or undefined for any other topic. */
export function deviceIdOfTopic(topic: string): string | undefined {
  const parts = topic.split("/");
  if (parts.length !== 3 || parts[0] !== "devices" || parts[2] !== "telemetry") return undefined;
  const id = parts[1];
  return id !== undefined && invalidName(id) === undefined ? id : undefined;
}

const DEVICE_ROLE_PREFIX = "device:";
const deviceRole = (deviceId: string): string => `${DEVICE_ROLE_PREFIX}${deviceId}`;

/**
 * The only MQTT client id a device credential may connect with: its username (`pdmd_<token
 * prefix>`). The broker refuses any other client id for it at CONNECT.
 */
export const deviceClientId = (username: string): string => username;

type AclType = "publishClientSend" | "publishClientReceive" | "subscribeLiteral" | "subscribePattern";

interface Acl {
  acltype: AclType;
  topic: string;
  priority: number;
  allow: boolean;
}

/** Within a role the highest priority matching ACL decides; the `#` denials close everything not allowed above them. */
const DENY_THE_REST: readonly Acl[] = [
  { acltype: "publishClientSend", topic: "#", priority: 0, allow: false },
  { acltype: "subscribePattern", topic: "#", priority: 0, allow: false },
];

/**
 * A device publishes to its own topic and nothing else; it subscribes to nothing (not even a
 * shared subscription) and is delivered nothing, even on a session it should never hold.
 */
const deviceAcls = (deviceId: string): Acl[] => [
  { acltype: "publishClientSend", topic: deviceTopic(deviceId), priority: 10, allow: true },
  ...DENY_THE_REST,
  { acltype: "subscribePattern", topic: "$share/#", priority: 0, allow: false },
  { acltype: "publishClientReceive", topic: "#", priority: 0, allow: false },
];

/**
 * The broker-wide access for whatever no role decides: deny, but for unsubscribing. The admin
 * role written by `mosquitto_ctrl dynsec init` allows its own control topics explicitly.
 */
const DEFAULT_ACCESS = [
  { acltype: "publishClientSend", allow: false },
  { acltype: "publishClientReceive", allow: false },
  { acltype: "subscribe", allow: false },
  { acltype: "unsubscribe", allow: true },
] as const;

/** Clients and roles listed per dynsec command while reconciling. */
const LIST_PAGE = 500;

const BRIDGE_ACLS: readonly Acl[] = [
  { acltype: "subscribePattern", topic: BRIDGE_SUBSCRIPTION, priority: 10, allow: true },
  { acltype: "subscribePattern", topic: DEVICE_TOPIC_FILTER, priority: 10, allow: true },
  { acltype: "publishClientReceive", topic: DEVICE_TOPIC_FILTER, priority: 10, allow: true },
  ...DENY_THE_REST,
];

const responsesSchema = z.object({
  responses: z.array(
    z.object({
      command: z.string(),
      error: z.string().optional(),
      correlationData: z.string().optional(),
      data: z.unknown().optional(),
    }),
  ),
});

const clientSchema = z.object({
  username: z.string(),
  clientid: z.string().optional(),
  textdescription: z.string().optional(),
  disabled: z.boolean().optional(),
  roles: z.array(z.object({ rolename: z.string(), priority: z.number().optional() })).default([]),
  groups: z.array(z.object({ groupname: z.string() })).default([]),
});
const clientDataSchema = z.object({ client: clientSchema });
const clientListSchema = z.object({ totalCount: z.number().optional(), clients: z.array(clientSchema).default([]) });

const roleSchema = z.object({
  rolename: z.string(),
  acls: z.array(z.object({ acltype: z.string(), topic: z.string(), priority: z.number().default(0), allow: z.boolean() })).default([]),
});
const roleDataSchema = z.object({ role: roleSchema });
const roleListSchema = z.object({ totalCount: z.number().optional(), roles: z.array(roleSchema).default([]) });

type RoleAcls = z.infer<typeof roleSchema>["acls"];
const aclKey = (acl: { acltype: string; topic: string }) => `${acl.acltype} ${acl.topic}`;

/** Whether a role's ACLs are exactly these. */
function sameAcls(have: RoleAcls, want: readonly Acl[]): boolean {
  if (have.length !== want.length) return false;
  const byKey = new Map(want.map((acl) => [aclKey(acl), acl]));
  return have.every((acl) => {
    const w = byKey.get(aclKey(acl));
    return w !== undefined && w.allow === acl.allow && w.priority === acl.priority;
  });
}

type Params = Record<string, unknown>;

interface Pending {
  command: string;
  timer: NodeJS.Timeout;
  resolve: (answer: { error?: string; data?: unknown }) => void;
  reject: (error: Error) => void;
}

/**
 * What the broker keeps to tell whether a credential's password changed without logging in with
 * it (a login under a bound client id would take over the device's own session). Passwords here
 * are high-entropy tokens and derived secrets, so a truncated SHA-256 gives nothing away.
 */
const passwordMark = (username: string, password: string): string =>
  `pw:${createHash("sha256").update(`${username}\n${password}`).digest("hex").slice(0, 32)}`;

/**
 * Disconnects politely when possible. A plain `end()` never settles while the
 * client is offline with unacknowledged QoS 1 messages, so an offline client,
 * or one that does not finish within CLOSE_GRACE_MS, is closed by force.
 */
async function endClient(client: MqttClient): Promise<void> {
  if (client.connected) {
    let timer: NodeJS.Timeout | undefined;
    const graceful = client.endAsync().then(
      () => true,
      () => false,
    );
    const expired = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
    });
    const ended = await Promise.race([graceful, expired]);
    clearTimeout(timer);
    if (ended) return;
  }
  await client.endAsync(true);
}

export async function connectMqttAdmin(options: MqttAdminOptions): Promise<MqttAdmin> {
  const pending = new Map<string, Pending>();
  let closed = false;
  let lastError: Error | undefined;

  const client = await mqtt.connectAsync(
    options.url,
    {
      username: options.username,
      password: options.password,
      clientId: options.clientId ?? `pdm-admin-${randomUUID()}`,
      clean: true,
      reconnectPeriod: 1_000,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Commands go out at QoS 0 and are never queued while offline: a command that timed out must
      // not run later, after a reconnect, behind the caller's back.
      queueQoSZero: false,
    },
    false,
  );
  /** Rejects every command still waiting for an answer. */
  const failPending = (why: string) => {
    for (const [id, entry] of pending) {
      pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new Error(`MQTT dynamic-security command ${entry.command} ${why}`));
    }
  };
  client.on("error", (error) => {
    lastError = error;
  });
  client.on("connect", () => {
    lastError = undefined;
  });
  // The session is clean: answers to commands sent before a disconnect are lost.
  client.on("close", () => failPending("lost its connection before an answer came; its outcome is unknown"));
  client.on("message", (topic, payload) => {
    if (topic !== RESPONSE_TOPIC) return;
    let json: unknown;
    try {
      json = JSON.parse(payload.toString("utf8"));
    } catch {
      return;
    }
    const parsed = responsesSchema.safeParse(json);
    if (!parsed.success) return;
    for (const answer of parsed.data.responses) {
      // Other admin connections share the response topic: answers to their commands are ignored.
      const entry = answer.correlationData === undefined ? undefined : pending.get(answer.correlationData);
      if (entry === undefined || answer.correlationData === undefined) continue;
      pending.delete(answer.correlationData);
      clearTimeout(entry.timer);
      entry.resolve({ error: answer.error, data: answer.data });
    }
  });

  try {
    await client.subscribeAsync(RESPONSE_TOPIC, { qos: 1 });
  } catch (error) {
    await client.endAsync(true).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`MQTT admin ${options.username} may not subscribe to ${RESPONSE_TOPIC}: ${reason}`);
  }

  /** Sends one command and waits for its answer; the broker's error text comes back as `error`. */
  function send(command: string, params: Params): Promise<{ error?: string; data?: unknown }> {
    if (closed) return Promise.reject(new Error("MQTT admin connection is closed"));
    if (!client.connected) {
      const reason = lastError ? `: ${lastError.message}` : "";
      return Promise.reject(new Error(`MQTT admin is not connected to the broker${reason}`));
    }
    const correlationData = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(correlationData);
        const state = client.connected ? "" : " (connection lost)";
        reject(
          new Error(
            `MQTT dynamic-security command ${command} got no answer within ${COMMAND_TIMEOUT_MS} ms${state}; its outcome is unknown`,
          ),
        );
      }, COMMAND_TIMEOUT_MS);
      pending.set(correlationData, { command, timer, resolve, reject });
      const body = JSON.stringify({ commands: [{ ...params, command, correlationData }] });
      client.publish(CONTROL_TOPIC, body, { qos: 0 }, (error) => {
        if (!error) return;
        const entry = pending.get(correlationData);
        if (entry === undefined) return;
        pending.delete(correlationData);
        clearTimeout(entry.timer);
        reject(new Error(`MQTT dynamic-security command ${command} could not be sent: ${error.message}`));
      });
    });
  }

  async function run(command: string, params: Params): Promise<unknown> {
    const answer = await send(command, params);
    if (answer.error !== undefined) throw new DynsecCommandError(command, answer.error);
    return answer.data;
  }

  /** Like run, but an error matching `tolerated` is returned instead of thrown. */
  async function runTolerating(command: string, params: Params, tolerated: RegExp): Promise<string | undefined> {
    const answer = await send(command, params);
    if (answer.error === undefined) return undefined;
    if (tolerated.test(answer.error)) return answer.error;
    throw new DynsecCommandError(command, answer.error);
  }

  function assertNotAdmin(username: string): void {
    if (username === options.username) throw new Error(`Refusing to change the MQTT admin credential ${JSON.stringify(username)}`);
  }

  /** Creates the role with exactly these ACLs, or brings an existing role's ACLs in line with them. */
  async function ensureRole(rolename: string, textname: string, acls: readonly Acl[]): Promise<void> {
    const exists = await runTolerating("createRole", { rolename, textname, acls }, /already exists/i);
    if (exists === undefined) return;
    const { role } = roleDataSchema.parse(await run("getRole", { rolename }));
    await alignRole(rolename, role.acls, acls);
  }

  /** Removes the ACLs a role should not have and adds the missing ones (role changes disconnect nobody). */
  async function alignRole(rolename: string, current: RoleAcls, acls: readonly Acl[]): Promise<void> {
    const key = aclKey;
    const missing = new Map(acls.map((acl) => [key(acl), acl]));
    for (const have of current) {
      const want = missing.get(key(have));
      if (want !== undefined && want.allow === have.allow && want.priority === have.priority) {
        missing.delete(key(have));
        continue;
      }
      await runTolerating("removeRoleACL", { rolename, acltype: have.acltype, topic: have.topic }, /not found/i);
    }
    for (const acl of missing.values()) {
      await runTolerating("addRoleACL", { rolename, ...acl }, /already exists/i);
    }
  }

  /**
   * Creates the client with this password, only this role and (for devices) this client id, or
   * updates an existing one. Changing a client disconnects its sessions (2.0.11), so an existing
   * client is only modified when its roles, groups, client id, enabled state or password differ;
   * the password is compared through the mark kept in the client's description.
   */
  async function upsertClient(
    username: string,
    password: string,
    rolename: string,
    textname: string,
    clientid: string | undefined,
  ): Promise<void> {
    const roles = [{ rolename, priority: 0 }];
    const textdescription = passwordMark(username, password);
    const bound = clientid === undefined ? {} : { clientid };
    const fields = { username, password, textname, textdescription, roles, ...bound };
    const exists = await runTolerating("createClient", fields, /already exists/i);
    if (exists === undefined) return;
    const { client: current } = clientDataSchema.parse(await run("getClient", { username }));
    const disabled = current.disabled === true;
    const rolesMatch = current.roles.length === 1 && current.roles[0]?.rolename === rolename && current.groups.length === 0;
    const idMatches = clientid === undefined || current.clientid === clientid;
    if (disabled || !rolesMatch || !idMatches || current.textdescription !== textdescription) {
      await run("modifyClient", { ...fields, groups: [] });
    }
    if (disabled) await run("enableClient", { username });
  }

  /** Every item of a dynsec list command, page by page. */
  async function listAll<T>(command: string, parse: (data: unknown) => { totalCount?: number | undefined; items: T[] }): Promise<T[]> {
    const all: T[] = [];
    for (let offset = 0; ; offset += LIST_PAGE) {
      const page = parse(await run(command, { verbose: true, count: LIST_PAGE, offset }));
      all.push(...page.items);
      if (page.items.length < LIST_PAGE || (page.totalCount !== undefined && all.length >= page.totalCount)) return all;
    }
  }

  return {
    async ensureBridgeCredential(username, password) {
      assertName("username", username);
      assertPassword(password);
      assertNotAdmin(username);
      await ensureRole(BRIDGE_ROLE, "PdM ingest bridge", BRIDGE_ACLS);
      await upsertClient(username, password, BRIDGE_ROLE, "PdM ingest bridge", undefined);
    },

    async upsertDeviceCredential({ username, password, deviceId }) {
      assertName("username", username);
      assertName("deviceId", deviceId);
      assertPassword(password);
      assertNotAdmin(username);
      const rolename = deviceRole(deviceId);
      await ensureRole(rolename, `PdM device ${deviceId}`, deviceAcls(deviceId));
      await upsertClient(username, password, rolename, `PdM device token for ${deviceId}`, deviceClientId(username));
    },

    async reconcileDevices() {
      await run("setDefaultACLAccess", { acls: DEFAULT_ACCESS });
      let roles = 0;
      const listedRoles = await listAll("listRoles", (data) => {
        const parsed = roleListSchema.parse(data);
        return { totalCount: parsed.totalCount, items: parsed.roles };
      });
      for (const role of listedRoles) {
        if (!role.rolename.startsWith(DEVICE_ROLE_PREFIX)) continue;
        const deviceId = role.rolename.slice(DEVICE_ROLE_PREFIX.length);
        if (invalidName(deviceId) !== undefined) continue;
        const want = deviceAcls(deviceId);
        if (sameAcls(role.acls, want)) continue;
        await alignRole(role.rolename, role.acls, want);
        roles++;
      }
      let clients = 0;
      const listedClients = await listAll("listClients", (data) => {
        const parsed = clientListSchema.parse(data);
        return { totalCount: parsed.totalCount, items: parsed.clients };
      });
      for (const client of listedClients) {
        const isDevice = client.roles.some((r) => r.rolename.startsWith(DEVICE_ROLE_PREFIX));
        if (!isDevice || client.username === options.username) continue;
        const clientid = deviceClientId(client.username);
        if (client.clientid === clientid) continue;
        // Binding the client id disconnects the device once; it reconnects under its username.
        await run("modifyClient", { username: client.username, clientid });
        clients++;
      }
      return { roles, clients };
    },

    async removeCredential(username) {
      assertName("username", username);
      assertNotAdmin(username);
      // deleteClient also disconnects every session of that username.
      await runTolerating("deleteClient", { username }, /not found/i);
    },

    async close() {
      if (closed) return;
      closed = true;
      failPending("was not answered before the MQTT admin was closed");
      await endClient(client);
    },
  };
}
