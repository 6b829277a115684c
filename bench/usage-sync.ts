import postgres from "postgres";
import { createStripe } from "../src/billing/stripe.js";
import { utcHour } from "../src/billing/usage.js";
import { runUsageSync } from "../src/billing/usage-schedule.js";
import { SYNC_IN_FLIGHT } from "../src/billing/usage-sync.js";
import { newId } from "../src/core/ids.js";
import { int, say } from "./support.js";
import { startBenchWorkflows } from "./worker.js";

/**
 * The usage sync at scale: 1,000,000 ledger rows of 100 tenants (each with a Stripe customer),
 * spread over the 24 closed hours before the last one and the three meters, written as the owner
 * with generate_series; the hourly totals built from the ledger as migration 0019 does (timed:
 * the aggregation); then the syncUsage workflow on a worker in this process plans and sends the
 * meter events to stripe-mock (timed: the sync). Checks that the confirmed reports equal the
 * ledger per tenant and meter (MATCH, or MISMATCH and exit code 1). Baseline: the same number of
 * meter events posted straight to stripe-mock with as many in flight as the sync allows
 * (SYNC_IN_FLIGHT: one activity per page of 100 tenants, whose requests share one pool). The bench's tenants are
 * deleted afterwards (their names start with "Bench usage-sync"). Before each timed window the
 * database is settled (settle()), and the worker has run a sync with nothing to do, as a running
 * worker has.
 *
 * With `hourly`, the bench's tenants send to the pre-aggregated hourly meters (each event an
 * hour's running total), switched at their first hour.
 *
 * Usage: node dist/bench/usage-sync.js [ledger rows, default 1000000] [hourly]
 */
const ROWS = Number(process.argv[2] ?? 1_000_000);
const HOURLY = process.argv[3] === "hourly";
const TENANTS = 100;
const HOURS = 24;
const METERS = ["points_ingested", "predictions", "training_runs"];
const GOAL_SECONDS = 60;
if (!Number.isInteger(ROWS) || ROWS < TENANTS * HOURS * METERS.length)
  throw new Error(`rows must be a whole number ≥ ${TENANTS * HOURS * METERS.length}`);

const seconds = (since: number): number => (performance.now() - since) / 1000;
/** The tables the set-up and the sync write. */
const TABLES = "usage_ledger, usage_hourly, meter_reports";

const { config, client, close } = await startBenchWorkflows();
const owner = postgres(process.env.DATABASE_OWNER_URL ?? "", { max: 1, onnotice: () => {} });
const admin = process.env.DATABASE_ADMIN_URL ? postgres(process.env.DATABASE_ADMIN_URL, { max: 1, onnotice: () => {} }) : undefined;

/**
 * Untimed, before each timed window: the tables vacuumed and, where the stack's superuser is at
 * hand, a checkpoint. Otherwise the database works through the set-up's million rows (and the
 * previous run's deleted ones) during a timed window: autovacuum, and a checkpoint the WAL of the
 * ledger's insert started, spread over half a minute. Either takes CPU from whichever window it
 * falls in.
 */
async function settle(): Promise<void> {
  await owner.unsafe(`vacuum (analyze) ${TABLES}`);
  await admin?.unsafe("checkpoint");
}
const stamp = `${Date.now()}`;
const tenantIds = Array.from({ length: TENANTS }, () => newId("tenant"));
let failed = false;
try {
  say(
    `usage-sync${HOURLY ? " (hourly meters)" : ""}: ${int(ROWS)} ledger rows, ${TENANTS} tenants × ${HOURS} hours × ${METERS.length} meters; Node ${process.version}`,
  );
  // The worker warmed up as a running one is (untimed): the workflow's code loaded and a run
  // through the activities. Its hours are those closed before 1970, so it plans nothing.
  await runUsageSync(client, { now: new Date(0) });
  await owner`
    insert into tenants (id, name)
    select t.id, 'Bench usage-sync ' || ${stamp} || ' #' || t.n from unnest(${tenantIds}::text[]) with ordinality as t(id, n)`;
  await owner`
    insert into billing_accounts (tenant_id, stripe_customer_id)
    select t.id, 'cus_bench_' || ${stamp} || '_' || t.n from unnest(${tenantIds}::text[]) with ordinality as t(id, n)`;
  for (const meter of METERS) {
    await owner`
      insert into stripe_meters (meter, event_name, stripe_meter_id) values (${meter}, ${`pdm_${meter}`}, ${`mtr_bench_${meter}`})
      on conflict (meter) do nothing`;
  }

  const firstHour = new Date(utcHour(new Date()).getTime() - (HOURS + 1) * 3_600_000);
  if (HOURLY) {
    await owner`
      update stripe_meters set hourly_event_name = coalesce(hourly_event_name, event_name || '_hourly'),
        hourly_stripe_meter_id = coalesce(hourly_stripe_meter_id, stripe_meter_id || '_hourly')`;
    await owner`update billing_accounts set hourly_meters_from = ${firstHour} where tenant_id = any(${tenantIds}::text[])`;
  }

  // Row g: tenant g mod 100, meter (g / 100) mod 3, hour (g / 300) mod 24 of the 24 before the last closed one.
  let started = performance.now();
  await owner`
    insert into usage_ledger (tenant_id, id, meter, quantity, idempotency_key, source, occurred_at)
    select (${tenantIds}::text[])[g % ${TENANTS} + 1], 'use_bench_' || ${stamp} || '_' || g,
      (${METERS}::text[])[(g / ${TENANTS}) % 3 + 1], 1 + g % 7, 'bench:' || g, 'bench',
      ${firstHour}::timestamptz + ((g / ${TENANTS * 3}) % ${HOURS}) * interval '1 hour' + (g % 3600) * interval '1 second'
    from generate_series(0, ${ROWS - 1}) as g`;
  say(`ledger written in ${seconds(started).toFixed(2)} s (set-up, not timed below)`);

  started = performance.now();
  await owner`
    insert into usage_hourly (tenant_id, meter, hour, quantity)
    select tenant_id, meter, date_trunc('hour', occurred_at), sum(quantity)
    from usage_ledger where tenant_id = any(${tenantIds}::text[])
    group by tenant_id, meter, date_trunc('hour', occurred_at)`;
  const aggregation = seconds(started);
  say(`aggregation (ledger → hourly totals): ${aggregation.toFixed(2)} s, ${int(ROWS / aggregation)} rows/s`);
  await settle();

  started = performance.now();
  const result = await runUsageSync(client);
  const sync = seconds(started);
  const [sent] = await owner<{ events: number; confirmed: number }[]>`
    select count(*)::int as events, count(*) filter (where state = 'confirmed')::int as confirmed
    from meter_reports where tenant_id = any(${tenantIds}::text[])`;
  const events = sent?.events ?? 0;
  say(
    `sync (syncUsage workflow: plan + send to stripe-mock): ${sync.toFixed(2)} s, ${int(events)} meter events (${int(sent?.confirmed ?? 0)} confirmed), ${int(events / sync)} events/s; the run covered ${result.tenants} tenant(s)`,
  );
  const total = aggregation + sync;
  say(`aggregation + sync: ${total.toFixed(2)} s, ${int(ROWS / total)} ledger rows/s`);

  const mismatches = await owner<{ tenant_id: string; meter: string; ledger: string; reported: string | null }[]>`
    with ledger as (
      select tenant_id, meter, sum(quantity) as quantity from usage_ledger where tenant_id = any(${tenantIds}::text[]) group by 1, 2
    ), reported as (
      select tenant_id, meter, sum(quantity) as quantity from meter_reports
      where tenant_id = any(${tenantIds}::text[]) and state = 'confirmed' group by 1, 2
    )
    select l.tenant_id, l.meter, l.quantity::text as ledger, r.quantity::text as reported
    from ledger l full join reported r using (tenant_id, meter)
    where l.quantity is distinct from r.quantity`;
  const [ledgerTotal] = await owner<{ quantity: string }[]>`
    select sum(quantity)::text as quantity from usage_ledger where tenant_id = any(${tenantIds}::text[])`;
  failed = mismatches.length > 0;
  say(
    failed
      ? `totals: MISMATCH in ${mismatches.length} tenant × meter pair(s), e.g. ${JSON.stringify(mismatches[0])}`
      : `totals: MATCH (confirmed reports = ledger for all ${TENANTS * METERS.length} tenant × meter pairs, ${int(Number(ledgerTotal?.quantity))} units)`,
  );

  // Baseline: the same number of meter events straight to stripe-mock, as many in flight at once.
  await settle();
  const stripe = createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS);
  const parallel = SYNC_IN_FLIGHT;
  const at = Math.floor(firstHour.getTime() / 1000);
  started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < events) {
        const identifier = `bench_${stamp}_${next++}`;
        await stripe.billing.meterEvents.create(
          { event_name: "pdm_predictions", payload: { stripe_customer_id: "cus_bench", value: "1" }, identifier, timestamp: at },
          { idempotencyKey: identifier },
        );
      }
    }),
  );
  const baseline = seconds(started);
  say(
    `baseline (${int(events)} meter events posted straight to stripe-mock, ${parallel} in flight): ${baseline.toFixed(2)} s, ${int(events / baseline)} events/s`,
  );
  say(`sync / baseline: ${(sync / baseline).toFixed(2)}`);
  say(`goal aggregation + sync < ${GOAL_SECONDS} s: ${total < GOAL_SECONDS ? "met" : "MISSED"} (${total.toFixed(2)} s)`);
} finally {
  const cleanup = performance.now();
  await owner`delete from tenants where id = any(${tenantIds}::text[])`;
  await settle();
  say(`bench tenants and their rows deleted in ${seconds(cleanup).toFixed(2)} s`);
  await owner.end();
  await admin?.end();
  await close();
}
if (failed) process.exit(1);
