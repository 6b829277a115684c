import type { Db } from "../src/db/client.js";

/**
 * Seeds a bench tenant (its 100 engines already created) up to 10,000 assets: 100 sites × 10
 * machines × 9 components, 10 remaining-life predictions per scored asset (4 in 5 scored), 800
 * unresolved alerts and a day of hourly activity for 9 in 10 assets. `owner` is a connection as
 * the database owner (no row-level security in the way of a bulk insert).
 */
export async function seedFleet(owner: Db, t: string): Promise<void> {
  await owner.sql.begin(async (tx) => {
    const [type] = await tx<{ id: string }[]>`select asset_type_id as id from assets where tenant_id = ${t} limit 1`;
    const typeId = type?.id ?? "";
    await tx`insert into assets (tenant_id, id, asset_type_id, parent_id, external_id, name)
      select ${t}, 'ast_s' || lpad(s::text, 5, '0'), ${typeId}, null, 'site-' || s, 'Site ' || s from generate_series(1, 100) s`;
    await tx`insert into assets (tenant_id, id, asset_type_id, parent_id, external_id, name)
      select ${t}, 'ast_m' || lpad(m::text, 5, '0'), ${typeId}, 'ast_s' || lpad((1 + m % 100)::text, 5, '0'), 'machine-' || m, 'Machine ' || m
      from generate_series(1, 1000) m`;
    await tx`insert into assets (tenant_id, id, asset_type_id, parent_id, external_id, name)
      select ${t}, 'ast_c' || lpad(c::text, 5, '0'), ${typeId}, 'ast_m' || lpad((1 + c % 1000)::text, 5, '0'), 'component-' || c, 'Component ' || c
      from generate_series(1, 8800) c`;
    const [version] = await tx<{ id: string }[]>`select 'mdv_bench' as id`;
    await tx`insert into asset_predictions (tenant_id, id, asset_id, task, model_version_id, data_time, rul, rul_low, rul_high, source)
      select ${t}, 'prd_' || a.id || '_' || lpad(k::text, 2, '0'), a.id, 'rul', ${version?.id ?? ""}, now(), r, r * 0.8, r * 1.2, 'bench'
      from (select id, row_number() over (order by id) n from assets where tenant_id = ${t}) a,
        generate_series(1, 10) k, lateral (select ((a.n * 7919 + k * 31) % 300)::float8 as r) rr
      where a.n % 5 <> 0`;
    await tx`insert into alert_rules (tenant_id, asset_type_id, rul_below) values (${t}, ${typeId}, 20)`;
    await tx`insert into alerts (tenant_id, id, asset_id, kind, status, value, threshold, prediction_id, explanation)
      select ${t}, 'alr_' || a.id || '_' || kind, a.id, kind, 'open', 1, 1, 'prd_x', '{}'::jsonb
      from (select id, row_number() over (order by id) n from assets where tenant_id = ${t}) a,
        lateral (select case when a.n % 25 = 0 then 'rul_low' when a.n % 20 = 1 then 'anomaly' end as kind) kk
      where kind is not null`;
    await tx`insert into asset_activity (tenant_id, asset_id, hour, points, last_seen_at)
      select ${t}, a.id, date_trunc('hour', now()) - h * interval '1 hour', 100, date_trunc('hour', now()) - h * interval '1 hour' + (a.n % 3600) * interval '1 second'
      from (select id, row_number() over (order by id) n from assets where tenant_id = ${t}) a, generate_series(0, 23) h
      where a.n % 10 <> 0`;
  });
  await owner.sql`analyze assets, asset_predictions, alerts, asset_activity`;
}

/** What seedFleet added goes again: its alerts would crowd lists that span tenants (the support inbox). */
export async function removeSeededFleet(owner: Db, tenantId: string): Promise<void> {
  await owner.sql.begin(async (tx) => {
    for (const table of ["alerts", "alert_rules", "asset_predictions", "asset_activity"]) {
      await tx`delete from ${tx(table)} where tenant_id = ${tenantId}`;
    }
    await tx`delete from assets where tenant_id = ${tenantId} and external_id ~ '^(site|machine|component)-'`;
  });
}
