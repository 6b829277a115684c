import { sql } from "drizzle-orm";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

export type Database = PostgresJsDatabase;
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface Db {
  readonly sql: postgres.Sql;
  readonly db: Database;
  close(): Promise<void>;
}

export function connectDb(url: string, options: { max: number; applicationName: string }): Db {
  const client = postgres(url, {
    max: options.max,
    connection: { application_name: options.applicationName },
    onnotice: () => {},
  });
  const db = drizzle(client);
  return { sql: client, db, close: () => client.end({ timeout: 5 }) };
}

export interface TenantScope {
  readonly tenantId: string;
  /** Set when a user acts, so RLS shows that user its own row. */
  readonly userId?: string;
}

/**
 * Runs `fn` in one transaction in which row-level security shows only `tenantId`'s rows.
 * The settings are transaction-local, so a pooled connection never carries a tenant over.
 */
export async function withTenant<T>(db: Database, scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // Sent without waiting: postgres.js pipelines it ahead of fn's first query on this connection,
    // saving a round trip. Should it fail, the settings are missing and RLS shows nothing.
    // drizzle runs a query each time its `then` is called: one `then` here, so it runs once.
    const settings = tx
      .execute(sql`select set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId ?? ""}, true)`)
      .then(() => undefined);
    settings.catch(() => undefined);
    const result = await fn(tx);
    await settings;
    return result;
  });
}

/**
 * withTenant on the postgres.js client itself, for hot paths: its tagged statements are prepared
 * once per connection (drizzle's `execute` sends each statement unprepared, after a round trip to
 * describe it) and planned once per connection too (a generic plan: Postgres would otherwise plan
 * a prepared statement's first five runs on each connection anew), and statements started
 * together (`.execute()` without awaiting) go out together once the connection has prepared them
 * (its first use of a statement still describes it first).
 * On a connection of its own, pipelined: BEGIN and the settings go out with fn's first
 * statements, and `commit` sends COMMIT behind the statements fn has started, so fn's last
 * statements and the COMMIT go out together (fn awaits them all, as in
 * `Promise.all([last(), commit()])`). A statement is started by its `.execute()`; one only awaited
 * (`await sql\`…\``) starts a few microtasks later, after a COMMIT called meanwhile, outside the
 * transaction. Should a statement fail, Postgres refuses the rest of the transaction and the COMMIT
 * ends it as a rollback. Without `commit`, it commits when fn returns.
 */
export async function withTenantSql<T>(
  client: postgres.Sql,
  scope: TenantScope,
  fn: (sql: postgres.Sql, commit: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const sql = await client.reserve();
  let ended = false;
  const commit = async (): Promise<void> => {
    ended = true;
    await sql`commit`.execute();
  };
  try {
    // Its statements are planned once per connection (a generic plan, for this transaction only):
    // they pick their rows by tenant and key, so a plan made for one tenant's values serves any.
    const opened = Promise.all([
      sql`begin`.execute(),
      sql`
        select set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId ?? ""}, true),
          set_config('plan_cache_mode', 'force_generic_plan', true)`.execute(),
    ]);
    opened.catch(() => undefined);
    const value = await fn(sql, commit);
    await opened;
    if (!ended) await commit();
    return value;
  } catch (error) {
    // A COMMIT sent has ended the transaction; otherwise it is ended here.
    if (!ended) await sql`rollback`.execute().catch(() => undefined);
    throw error;
  } finally {
    sql.release();
  }
}

/**
 * A Postgres array literal (`{a,b,c}`, to cast with ::text[], ::int8[], …) of values that need no
 * quoting: ids, keys and numbers. One parameter for a whole column of values.
 */
export const pgArray = (values: readonly (string | number)[]): string => `{${values.join(",")}}`;

/** Postgres error codes the services turn into typed errors. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = findPgError(error);
  return e !== undefined && e.code === "23505" && (constraint === undefined || e.constraint_name === constraint);
}

/** Network and postgres.js connection errors: the database cannot be reached right now. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);
/** Server answers that mean "not now": shutting down, starting up, out of connections. */
const NOT_NOW = new Set(["57P01", "57P02", "57P03", "53300"]);

/** Whether an error means Postgres is down or unreachable (worth a retry later), not a failed query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof postgres.PostgresError) return NOT_NOW.has(current.code) || current.code.startsWith("08");
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE.has(code)) return true;
    current = current.cause;
  }
  return false;
}

export function findPgError(error: unknown): postgres.PostgresError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof postgres.PostgresError) return current;
    current = current.cause;
  }
  return undefined;
}
