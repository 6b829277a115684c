import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { connectDb, type Db } from "../src/db/client.js";
import {
  CreateInvitationDocument,
  OperatorTenantDocument,
  PromoteModelVersionDocument,
  RecordMaintenanceEventDocument,
} from "./generated/graphql.js";
import { createTestPlan, subscribeTenant } from "./support/billing.js";
import {
  type Api,
  addMember,
  gqlOk,
  newApiKey,
  newFleet,
  newOperator,
  newTenant,
  ownerUrl,
  startApi,
  type TestTenant,
  testConfig,
  uniqueEmail,
} from "./support/harness.js";
import { registerTestVersion, seedAlertRows, seedMlopsRows } from "./support/models.js";
import { msToNs, turbofanLine, writeV2 } from "./support/telemetry.js";
import { seedMeterReport } from "./support/usage.js";

/** Platform tables readable by every tenant (migration 0020): the plans and their Stripe catalogue. */
const CATALOGUE_TABLES = ["plans", "stripe_products", "stripe_prices", "stripe_meters"];

interface TableInfo {
  name: string;
  rls: boolean;
  force: boolean;
  tenantKey: string | null;
  pkColumns: string[];
}

/**
 * Row-level security, checked table by table from the catalog: a table added later is covered
 * without touching this file.
 */
describe("tenant isolation in Postgres", () => {
  let api: Api;
  let a: TestTenant;
  let b: TestTenant;
  let app: postgres.Sql;
  let owner: Db;
  let tables: TableInfo[];

  before(async () => {
    api = await startApi();
    a = await newTenant(api, "Tenant A");
    b = await newTenant(api, "Tenant B");
    // Rows in every tenant table for both tenants: members, invitations, keys, audit entries.
    const plan = await createTestPlan(api, { name: "Isolation plan" });
    for (const t of [a, b]) {
      // Billing account and Stripe events: a subscription through checkout and signed webhooks.
      await subscribeTenant(api, t, plan.code);
      await addMember(api, t, "VIEWER");
      await gqlOk(api, CreateInvitationDocument, { email: uniqueEmail("pending"), role: "ENGINEER" }, t.token);
      await newApiKey(api, t, ["tenant:read"]);
      // Assets, devices, tokens, and usage from one accepted batch.
      const fleet = await newFleet(api, t, { assets: 1 });
      const written = await writeV2(api, fleet.deviceToken, turbofanLine("engine_1", 1, msToNs(Date.now() - 60_000)));
      assert.equal(written.status, 204);
      await gqlOk(
        api,
        RecordMaintenanceEventDocument,
        { input: { assetId: fleet.assets[0]?.id ?? "", kind: "INSPECTION", occurredAt: new Date(Date.now() - 60_000).toISOString() } },
        t.token,
      );
      const { version } = await registerTestVersion(api, t, { assetTypeId: fleet.typeId, runId: "isolation-run", rmse: 14 });
      await gqlOk(api, PromoteModelVersionDocument, { versionId: version.id, reason: "isolation test" }, t.token);
      const rows = await seedMlopsRows(api, t, { assetTypeId: fleet.typeId, assetId: fleet.assets[0]?.id ?? "", versionId: version.id });
      await seedAlertRows(api, t, { assetTypeId: fleet.typeId, assetId: fleet.assets[0]?.id ?? "", predictionId: rows.predictionId });
      await seedMeterReport(t.tenantId);
    }
    owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
    const operator = await newOperator(api, "support");
    await gqlOk(api, OperatorTenantDocument, { tenantId: b.tenantId, reason: "isolation test reads B" }, operator.token);

    app = postgres(testConfig().DATABASE_URL, { max: 1, onnotice: () => {} });
    tables = await app<TableInfo[]>`
      select c.relname as name, c.relrowsecurity as rls, c.relforcerowsecurity as force,
        case when c.relname = 'tenants' then 'id'
             when exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped) then 'tenant_id'
        end as "tenantKey",
        coalesce((select array_agg(a.attname::text order by a.attname) from pg_index i
                  join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                  where i.indrelid = c.oid and i.indisprimary), '{}') as "pkColumns"
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> '__migrations'
      order by c.relname`;
  });

  after(async () => {
    await app?.end();
    await owner?.close();
    await api?.close();
  });

  it("finds the tables it must check", () => {
    const names = tables.map((t) => t.name);
    for (const expected of ["tenants", "users", "memberships", "invitations", "api_keys", "audit_log"]) {
      assert.ok(names.includes(expected), `${expected} is in the catalog`);
    }
    assert.ok(tables.filter((t) => t.tenantKey).length >= 5);
  });

  it("has row-level security enabled and forced on every table", () => {
    for (const t of tables) {
      assert.ok(t.rls, `${t.name}: ROW LEVEL SECURITY enabled`);
      assert.ok(t.force, `${t.name}: FORCE ROW LEVEL SECURITY`);
    }
  });

  it("keys every tenant table by tenant", () => {
    for (const t of tables.filter((x) => x.tenantKey)) {
      assert.ok(t.pkColumns.includes(t.tenantKey ?? ""), `${t.name}: primary key (${t.pkColumns.join(", ")}) includes ${t.tenantKey}`);
    }
  });

  it("connects the API as a role that owns nothing and cannot bypass RLS", async () => {
    const [role] = await app<{ rolbypassrls: boolean; rolsuper: boolean; owned: number }[]>`
      select r.rolbypassrls, r.rolsuper,
        (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
      from pg_roles r where r.rolname = current_user`;
    assert.deepEqual(role, { rolbypassrls: false, rolsuper: false, owned: 0 });
    const [migrations] = await app<{ can: boolean }[]>`select has_table_privilege('public.__migrations', 'select') as can`;
    assert.equal(migrations?.can, false);
  });

  it("shows no rows of any table when no tenant is set", async () => {
    for (const t of tables) {
      if (CATALOGUE_TABLES.includes(t.name)) {
        // The plans on offer and their Stripe ids: platform data every tenant may read, by design.
        assert.equal(t.tenantKey, null, `${t.name}: a catalogue table holds no tenant data`);
        continue;
      }
      let rows = 0;
      try {
        const [r] = await app<{ n: number }[]>`select count(*)::int as n from ${app(t.name)}`;
        rows = r?.n ?? 0;
      } catch (error) {
        assert.equal((error as { code?: string }).code, "42501", `${t.name}: only "permission denied" may stop the read`);
      }
      assert.equal(rows, 0, `${t.name}: rows visible without a tenant`);
    }
  });

  it("shows tenant A only A's rows, while B's rows exist, in every tenant table", async () => {
    for (const t of tables.filter((x) => x.tenantKey)) {
      const key = t.tenantKey ?? "tenant_id";
      const [present] = await owner.sql<{ a: number; b: number }[]>`
        select count(*) filter (where ${owner.sql(key)} = ${a.tenantId})::int as a,
               count(*) filter (where ${owner.sql(key)} = ${b.tenantId})::int as b
        from ${owner.sql(t.name)}`;
      assert.ok((present?.a ?? 0) > 0 && (present?.b ?? 0) > 0, `${t.name}: both tenants have rows (${JSON.stringify(present)})`);
      const seen = await app.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${a.tenantId}, true)`;
        const [r] = await tx<{ mine: number; other: number }[]>`
          select count(*) filter (where ${tx(key)} = ${a.tenantId})::int as mine,
                 count(*) filter (where ${tx(key)} <> ${a.tenantId})::int as other
          from ${tx(t.name)}`;
        return r;
      });
      assert.equal(seen?.other, 0, `${t.name}: tenant A sees rows of another tenant`);
      assert.equal(seen?.mine, present?.a, `${t.name}: tenant A sees all its own rows`);
    }
  });

  it("shows users only inside their tenants, and never their password hashes", async () => {
    const visible = await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${a.tenantId}, true)`;
      return tx<{ id: string }[]>`select id from users`;
    });
    const ids = visible.map((r) => r.id);
    assert.equal(ids.length, 2, "A's owner and A's viewer");
    assert.ok(ids.includes(a.ownerId) && !ids.includes(b.ownerId));
    await assert.rejects(
      app.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${a.tenantId}, true)`;
        await tx`select password_hash from users`;
      }),
      /permission denied/,
    );
  });

  it("refuses to write a row into another tenant", async () => {
    await assert.rejects(
      app.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${a.tenantId}, true)`;
        await tx`insert into audit_log (tenant_id, id, actor_kind, actor_id, action, target_type, target_id, request_id)
                 values (${b.tenantId}, 'aud_forged', 'user', ${a.ownerId}, 'x', 'x', 'x', 'req_x')`;
      }),
      /row-level security/,
    );
  });

  it("changes or deletes no row of another tenant, in any tenant table", async () => {
    for (const t of tables.filter((x) => x.tenantKey)) {
      const key = t.tenantKey ?? "tenant_id";
      for (const statement of ["update", "delete"] as const) {
        const affected = await app
          .begin(async (tx) => {
            await tx`select set_config('app.tenant_id', ${a.tenantId}, true)`;
            const result =
              statement === "update"
                ? await tx`update ${tx(t.name)} set ${tx(key)} = ${tx(key)} where ${tx(key)} = ${b.tenantId}`
                : await tx`delete from ${tx(t.name)} where ${tx(key)} = ${b.tenantId}`;
            return result.count;
          })
          .catch((error: { code?: string }) => {
            assert.equal(error.code, "42501", `${t.name} ${statement}: only "permission denied" may stop it`);
            return 0;
          });
        assert.equal(affected, 0, `${t.name}: tenant A's ${statement} reached tenant B`);
      }
      const [still] = await owner.sql<
        { n: number }[]
      >`select count(*)::int as n from ${owner.sql(t.name)} where ${owner.sql(key)} = ${b.tenantId}`;
      assert.ok((still?.n ?? 0) > 0, `${t.name}: B's rows are still there`);
    }
  });

  it("keeps the audit log append-only for the API", async () => {
    for (const statement of ["delete from audit_log", "update audit_log set action = 'x'"]) {
      await assert.rejects(
        app.begin(async (tx) => {
          await tx`select set_config('app.tenant_id', ${a.tenantId}, true)`;
          await tx.unsafe(statement);
        }),
        /permission denied/,
        statement,
      );
    }
  });
});
