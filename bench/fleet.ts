import { sql } from "drizzle-orm";
import { parseOwnerConfig } from "../src/config.js";
import { connectDb } from "../src/db/client.js";
import { fleetQuery, fleetStatement } from "../src/telemetry/fleet.js";
import type { FleetSort } from "../src/telemetry/fleet-cursor.js";
import { removeSeededFleet, seedFleet } from "./fleet-seed.js";
import { graphql, median, monotonicUs, say, setUpTenant, withApi } from "./support.js";

/**
 * The fleet overview on a tenant of 10,000 assets (100 sites × 10 machines × 9 components and the
 * 100 engines the bench tenant starts with), 10 remaining-life predictions per scored asset (4 in
 * 5 scored), 800 unresolved alerts and a day of hourly activity for 9 in 10 assets: per sort, the
 * GraphQL request time of a first page and of a page behind a cursor, and the plan of the statement.
 *
 * Usage: node dist/bench/fleet.js [requests per case, default 20] [--explain]
 */
const argv = process.argv.slice(2);
const EXPLAIN = argv.includes("--explain");
const REQUESTS = Number(argv.find((a) => /^\d+$/.test(a)) ?? 20);
const SORTS: readonly FleetSort[] = ["REMAINING_LIFE_ASC", "NAME", "LAST_SEEN_DESC", "HEALTH"];

const QUERY = `query ($sort: FleetSort, $after: String, $search: String) {
  fleetOverview(first: 50, sort: $sort, after: $after, search: $search) {
    edges { node { assetId depth ancestors { name } health remainingLife { rul } worstAlert { kind } lastSeenAt pointsLastDay } }
    pageInfo { endCursor }
  }
}`;

interface Answer {
  fleetOverview: { edges: unknown[]; pageInfo: { endCursor: string | null } };
}

await withApi({}, async (api) => {
  const tenant = await setUpTenant(api.url, "fleet-bench");
  const owner = connectDb(parseOwnerConfig(process.env).DATABASE_OWNER_URL, { max: 1, applicationName: "pdm-bench-owner" });
  try {
    const t = tenant.tenantId;
    await seedFleet(owner, t);
    say(`tenant ${t}: 10,000 assets seeded`);
    for (const sort of SORTS) {
      for (const search of [null, "component-12"]) {
        const first: number[] = [];
        const deep: number[] = [];
        for (let i = 0; i < REQUESTS; i++) {
          let started = monotonicUs();
          const one = await graphql<Answer>(api.url, QUERY, { sort, search }, tenant.token);
          first.push(monotonicUs() - started);
          started = monotonicUs();
          await graphql<Answer>(api.url, QUERY, { sort, search, after: one.fleetOverview.pageInfo.endCursor }, tenant.token);
          deep.push(monotonicUs() - started);
        }
        say(
          `${sort.padEnd(18)} search=${String(search).padEnd(12)} first page ${(median(first) / 1000).toFixed(1)} ms, next page ${(median(deep) / 1000).toFixed(1)} ms (median of ${REQUESTS})`,
        );
      }
      if (EXPLAIN) {
        const q = fleetQuery({ first: 50, sort });
        const plan = await owner.db.execute<{ "QUERY PLAN": string }>(
          sql`explain (analyze, buffers, costs off) ${fleetStatement(t, q, new Date())}`,
        );
        say(plan.map((r) => r["QUERY PLAN"]).join("\n"));
      }
    }
  } finally {
    await removeSeededFleet(owner, tenant.tenantId);
    await owner.close();
  }
});
