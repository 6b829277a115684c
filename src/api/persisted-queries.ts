import type { ApolloServerPlugin } from "@apollo/server";
import type { Db } from "../db/client.js";
import type { RequestContext } from "./services.js";

/** Queries kept in Postgres for every API process; beyond this the oldest registration gives way. */
export const PERSISTED_QUERIES_MAX = 5_000;
/** Queries also kept in each process (they never change: a query is stored under its own hash). */
const LOCAL_MAX = 1_000;
/** Apollo's prefix for the keys of its persisted-query cache. */
const PREFIX = "apq:";
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Apollo's KeyValueCache, as `persistedQueries.cache` takes it. */
export interface PersistedQueryCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void>;
  delete(key: string): Promise<boolean>;
}

export interface PersistedQueryStore extends PersistedQueryCache {
  /** Resolves once the registration of this hash under way, if any, was written. */
  stored(hash: string): Promise<void>;
}

/**
 * Automatic persisted queries shared by every API process, in Postgres (graphql_persisted_queries):
 * a hash registered through one copy is answered by all. Bounded: Postgres keeps at most
 * `maxEntries` queries (a ring: the oldest registration gives way) of at most `maxBytes` each, and
 * stores a query only under its own SHA-256. Apollo registers a query only after it parsed,
 * validated and passed the limits and the caller's rate limit: a flood of registrations can
 * only push older ones out, which costs their clients one resend of the full query.
 */
export function createPersistedQueryStore(
  db: Db,
  options: {
    maxBytes: number;
    maxEntries?: number;
    /** Documents known from the start by their SHA-256 (the portal's manifest): answered without Postgres, never stored. */
    known?: ReadonlyMap<string, string>;
  },
): PersistedQueryStore {
  const maxEntries = options.maxEntries ?? PERSISTED_QUERIES_MAX;
  const known = options.known ?? new Map<string, string>();
  const local = new Map<string, string>();
  const pending = new Map<string, Promise<void>>();
  const hashOf = (key: string): string | undefined => {
    const hash = key.startsWith(PREFIX) ? key.slice(PREFIX.length) : key;
    return SHA256_HEX.test(hash) ? hash : undefined;
  };
  const keep = (hash: string, query: string) => {
    local.delete(hash);
    local.set(hash, query);
    if (local.size > LOCAL_MAX) {
      const oldest = local.keys().next().value;
      if (oldest !== undefined) local.delete(oldest);
    }
  };

  return {
    async get(key) {
      const hash = hashOf(key);
      if (!hash) return undefined;
      const manifest = known.get(hash);
      if (manifest !== undefined) return manifest;
      const cached = local.get(hash);
      if (cached !== undefined) {
        keep(hash, cached);
        return cached;
      }
      const [row] = await db.sql<{ query: string | null }[]>`select graphql_persisted_query(${hash}) as query`;
      const query = row?.query ?? undefined;
      if (query !== undefined) keep(hash, query);
      return query;
    },

    set(key, value, setOptions) {
      const hash = hashOf(key);
      if (!hash || known.has(hash)) return Promise.resolve();
      const ttl = Math.max(0, Math.ceil(setOptions?.ttl ?? 0));
      const write: Promise<void> = db.sql`
        select graphql_persist_query(${hash}, ${value}, ${ttl}, ${maxEntries}, ${options.maxBytes})`.then(() => undefined);
      pending.set(hash, write);
      void write.then(
        () => (pending.get(hash) === write ? pending.delete(hash) : undefined),
        () => (pending.get(hash) === write ? pending.delete(hash) : undefined),
      );
      return write;
    },

    async delete(key) {
      const hash = hashOf(key);
      if (!hash) return false;
      local.delete(hash);
      const [row] = await db.sql<{ gone: boolean }[]>`select graphql_forget_persisted_query(${hash}) as gone`;
      return row?.gone === true;
    },

    async stored(hash) {
      await pending.get(hash)?.catch(() => undefined);
    },
  };
}

/**
 * Apollo writes a new registration without waiting for it; this answers the registering request
 * only once the query is stored, so the caller's next request finds it on any API process.
 */
export function persistedQueryPlugin(store: PersistedQueryStore): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ metrics, queryHash }) {
          if (metrics.persistedQueryRegister && queryHash) await store.stored(queryHash);
        },
      };
    },
  };
}
