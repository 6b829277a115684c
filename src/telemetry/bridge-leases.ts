import type { Db } from "../db/client.js";

/** The prefix of the client ids API copies claim when none is configured: pdm-bridge-0, -1, … */
export const BRIDGE_ID_PREFIX = "pdm-bridge-";

/** Another running copy holds the configured client id: two copies must never share one. */
export class BridgeIdentityTakenError extends Error {
  constructor(clientId: string) {
    super(
      `MQTT_BRIDGE_CLIENT_ID "${clientId}" is held by another running API copy; ` +
        "give each copy its own id, or leave it unset so that each copy claims a free one.",
    );
    this.name = "BridgeIdentityTakenError";
  }
}

/**
 * The leases of the bridge's broker identities, kept in Postgres so that every API copy sees
 * them (migration 0027). `holder` names this process; a lease lasts `ttlSeconds` unless renewed.
 */
export function bridgeLeases(db: Db, holder: string, ttlSeconds: number) {
  return {
    /** The configured id, or the lowest free one; throws when another live copy holds `fixed`. */
    async claim(fixed: string | undefined): Promise<string> {
      const [row] = await db.sql<{ id: string | null }[]>`
        select mqtt_bridge_claim(${holder}, ${BRIDGE_ID_PREFIX}, ${fixed ?? null}, ${ttlSeconds}) as id`;
      if (!row?.id) throw new BridgeIdentityTakenError(fixed ?? "");
      return row.id;
    },
    /** False when the lease was lost: another copy took the id after it expired. */
    async renew(clientId: string): Promise<boolean> {
      const [row] = await db.sql<{ ok: boolean }[]>`select mqtt_bridge_renew(${holder}, ${clientId}, ${ttlSeconds}) as ok`;
      return row?.ok === true;
    },
    /** Marks the lease as leaving; true when another copy stays subscribed. */
    async leave(clientId: string): Promise<boolean> {
      const [row] = await db.sql<{ others: boolean }[]>`select mqtt_bridge_leave(${holder}, ${clientId}) as others`;
      return row?.others === true;
    },
    async release(clientId: string, sessionEnded: boolean): Promise<void> {
      await db.sql`select mqtt_bridge_release(${holder}, ${clientId}, ${sessionEnded})`;
    },
    /** One expired lease taken over to drain its session, if any. */
    async adopt(): Promise<string | undefined> {
      const [row] = await db.sql<{ id: string | null }[]>`select mqtt_bridge_adopt(${holder}, ${ttlSeconds}) as id`;
      return row?.id ?? undefined;
    },
  };
}

export type BridgeLeases = ReturnType<typeof bridgeLeases>;
