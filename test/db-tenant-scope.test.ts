import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { withTenant } from "../src/db/client.js";
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
});
