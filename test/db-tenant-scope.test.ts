import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { withTenant, withTenantSql } from "../src/db/client.js";
import { testConfig } from "./support/harness.js";

describe("db: a tenant transaction", () => {
  it("sets the tenant's settings once, and its queries see them", async () => {
    const statements: string[] = [];
    const client = postgres(testConfig().DATABASE_URL, {
      max: 1,
      onnotice: () => {},
      debug: (_connection, query) => statements.push(query),
    });
    try {
      const db = drizzle(client);
      const seen = await withTenant(db, { tenantId: "ten_00000000000000000000000000", userId: "usr_x" }, async (tx) => {
        const rows = await tx.execute<{ tenant: string; user: string }>(
          sql`select current_setting('app.tenant_id', true) as tenant, current_setting('app.user_id', true) as user`,
        );
        return rows[0];
      });
      assert.deepEqual({ ...seen }, { tenant: "ten_00000000000000000000000000", user: "usr_x" });
      const settings = statements.filter((q) => q.includes("set_config('app.tenant_id'"));
      assert.equal(settings.length, 1, `set_config sent ${settings.length} times: ${JSON.stringify(statements)}`);
    } finally {
      await client.end({ timeout: 5 });
    }
  });

  describe("on the postgres.js client, pipelined (withTenantSql)", () => {
    const tenantId = "ten_11111111111111111111111111";
    // A session setting (not transaction-local) survives the transaction only if it committed.
    const probe = async (client: postgres.Sql) => {
      const [row] = await client<{ probe: string | null; tenant: string | null }[]>`
        select current_setting('app.probe', true) as probe, current_setting('app.tenant_id', true) as tenant`;
      return { probe: row?.probe || null, tenant: row?.tenant || null };
    };
    /** Runs `fn` with a client of one connection, closed afterwards. */
    const connected = async (fn: (client: postgres.Sql) => Promise<void>): Promise<void> => {
      const client = postgres(testConfig().DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await fn(client);
      } finally {
        await client.end({ timeout: 5 });
      }
    };

    it("runs fn's statements in the tenant's transaction and commits them with its last statements", () =>
      connected(async (client) => {
        const seen = await withTenantSql(client, { tenantId }, async (sql, commit) => {
          const [row] = await sql<{ tenant: string }[]>`select current_setting('app.tenant_id', true) as tenant`;
          await Promise.all([sql`select set_config('app.probe', 'committed', false)`.execute(), commit()]);
          return row?.tenant;
        });
        assert.equal(seen, tenantId);
        assert.deepEqual(await probe(client), { probe: "committed", tenant: null }, "committed; the tenant setting ended with it");
      }));

    it("rolls everything back when a statement sent with the COMMIT fails, and the connection carries nothing over", () =>
      connected(async (client) => {
        await assert.rejects(
          withTenantSql(client, { tenantId }, (sql, commit) =>
            Promise.all([
              sql`select set_config('app.probe', 'lost', false)`.execute(),
              sql`select 1 / (select count(*) from (select 1 where false) as none)::int as broken`.execute(),
              commit(),
            ]),
          ),
          /division by zero/,
        );
        assert.deepEqual(await probe(client), { probe: null, tenant: null });
      }));

    it("plans each statement once per connection (a generic plan), in its transactions only", () =>
      connected(async (client) => {
        for (let run = 0; run < 3; run++) {
          await withTenantSql(client, { tenantId }, async (sql) => {
            await sql`select current_setting('plan_cache_mode') as tenant_scope_generic_plan_probe where ${run}::int >= 0`;
          });
        }
        // Its parameter keeps the marker out of this statement's own text.
        const plans = await withTenantSql(
          client,
          { tenantId },
          (sql) =>
            sql<{ mode: string; generic: number; custom: number }[]>`
            select current_setting('plan_cache_mode') as mode, generic_plans::int as generic, custom_plans::int as custom
            from pg_prepared_statements where statement like ${"%tenant_scope_generic_plan_probe%"}`,
        );
        assert.deepEqual([...plans], [{ mode: "force_generic_plan", generic: 3, custom: 0 }]);
        const [after] = await client<{ mode: string }[]>`select current_setting('plan_cache_mode') as mode`;
        assert.equal(after?.mode, "auto", "the setting ended with the transaction");
      }));

    it("rolls back when fn fails before it commits", () =>
      connected(async (client) => {
        await assert.rejects(
          withTenantSql(client, { tenantId }, async (sql) => {
            await sql`select set_config('app.probe', 'lost', false)`;
            throw new Error("fn failed");
          }),
          /fn failed/,
        );
        assert.deepEqual(await probe(client), { probe: null, tenant: null });
      }));
  });
});
