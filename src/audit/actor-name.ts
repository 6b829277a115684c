import { type AnyColumn, type SQL, sql } from "drizzle-orm";

/**
 * The display name of an actor stored as "user:<id>" or "api_key:<id>" (the person's name, or
 * the API key's name), read in the same query as the row that names it: no query per row.
 * Null for other actors (workflows) and for a person RLS no longer shows (they left the tenant).
 */
export function actorName(actor: AnyColumn | SQL, tenantId: AnyColumn): SQL<string | null> {
  return sql<string | null>`case
    when ${actor} like 'user:%' then (select u.name from users u where u.id = substr(${actor}, 6))
    when ${actor} like 'api_key:%' then (select k.name from api_keys k where k.tenant_id = ${tenantId} and k.id = substr(${actor}, 9))
  end`;
}
