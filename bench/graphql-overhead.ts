import "reflect-metadata";
import { eq } from "drizzle-orm";
import { createServer } from "../src/api/server.js";
import { createServices } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { withTenant } from "../src/db/client.js";
import { tenants } from "../src/tenancy/schema.js";

/**
 * What the API adds on top of the database for one authenticated read: `{ tenant { id name } }`
 * over HTTP with a signed token (verify, membership lookup, tenant transaction, GraphQL) versus the
 * same tenant-scoped read straight through the database client. Same machine, same run.
 */
const REQUESTS = Number(process.argv[2] ?? 3000);
const CONCURRENCY = 8;

const config = parseConfig({ ...process.env, LOG_LEVEL: "warn", PORT: "0" });
const { services, close } = await createServices(config);
const app = await createServer(services);
const url = await app.listen({ host: "127.0.0.1", port: 0 });

async function measure(label: string, once: () => Promise<void>) {
  for (let i = 0; i < 200; i++) await once(); // warm-up
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const t0 = performance.now();
        await once();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const result = { label, perSecond: REQUESTS / seconds, median: pick(0.5), p99: pick(0.99) };
  process.stdout.write(
    `${label.padEnd(34)} ${result.perSecond.toFixed(0).padStart(7)} req/s   median ${result.median.toFixed(2)} ms   p99 ${result.p99.toFixed(2)} ms\n`,
  );
  return result;
}

try {
  const email = `bench-${Date.now()}@example.test`;
  const password = "benchmark password 1";
  const post = (query: string, variables: Record<string, unknown>) =>
    fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  await post("mutation ($i: SignUpInput!) { signUp(input: $i) { email } }", {
    i: { tenantName: "Bench Ltd", email, name: "Ben Bench", password },
  });
  const signIn = await post("mutation ($i: SignInInput!) { signIn(input: $i) { token tenantId userId } }", { i: { email, password } });
  const { data } = (await signIn.json()) as { data: { signIn: { token: string; tenantId: string; userId: string } } };
  const { token, tenantId, userId } = data.signIn;
  const body = JSON.stringify({ query: "{ tenant { id name } }" });

  process.stdout.write(`${REQUESTS} reads, ${CONCURRENCY} at a time, Node ${process.versions.node}\n`);
  const direct = await measure("baseline: tenant read via database", async () => {
    const rows = await withTenant(services.db.db, { tenantId, userId }, (tx) =>
      tx.select({ id: tenants.id, name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId)),
    );
    if (rows.length !== 1) throw new Error("baseline read found no tenant");
  });
  const api = await measure("API: GraphQL over HTTP with token", async () => {
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body,
    });
    const json = (await res.json()) as { data?: { tenant?: { id: string } } };
    if (json.data?.tenant?.id !== tenantId) throw new Error(`unexpected answer ${JSON.stringify(json)}`);
  });
  process.stdout.write(
    `ratio API/baseline: throughput ${(api.perSecond / direct.perSecond).toFixed(2)}x, median latency ${(api.median / direct.median).toFixed(2)}x, p99 ${(api.p99 / direct.p99).toFixed(2)}x\n`,
  );
} finally {
  await app.close();
  await close();
}
