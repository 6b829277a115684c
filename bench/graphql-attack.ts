import { readFile } from "node:fs/promises";
import { fieldSets, int, median, nsTimestamp, say, setUpTenant, turbofanLine, withApi } from "./support.js";

/**
 * The GraphQL abuse documents against an API process with the default limits: the 303-alias
 * telemetry read (answer sizes, the API's resident memory, another tenant's ingest latency while
 * it runs), the largest telemetry read the cost limit lets through, and the doubling-fragment
 * documents of 22 and 300 fragments (time to answer).
 *
 * Usage: node dist/bench/graphql-attack.js [rounds, default 5]
 */
const ROUNDS = Number(process.argv[2] ?? 5);
const PARALLEL = 20;
const ROWS = 4_166;

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

async function post(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const code = (JSON.parse(text) as { errors?: { extensions?: { code?: string; limit?: string } }[] }).errors?.[0]?.extensions;
  return {
    status: res.status,
    bytes: Buffer.byteLength(text),
    ms: performance.now() - started,
    code: code ? `${code.code}/${code.limit ?? ""}` : "OK",
  };
}

const aliases = (n: number) =>
  `query($a:ID!,$f:DateTimeISO!,$t:DateTimeISO!){${Array.from({ length: n }, (_, i) => `a${i}:telemetry(assetId:$a,from:$f,to:$t,limit:${ROWS}){times values}`).join(" ")}}`;

function doubling(count: number): string {
  const parts = ["query{...F0}"];
  for (let i = 0; i < count; i++) parts.push(`fragment F${i} on Query{...F${i + 1} ...F${i + 1}}`);
  parts.push(`fragment F${count} on Query{__typename}`);
  return parts.join(" ");
}

await withApi({}, async (api) => {
  const attacker = await setUpTenant(api.url, "attacker");
  const victim = await setUpTenant(api.url, "victim");
  const engine = attacker.assetIds.get("engine_1") ?? "";
  const to = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
  const from = to - ROWS * 60_000;
  const fields = fieldSets(ROWS, 7);
  const lines = fields.map((f, i) => turbofanLine(1, f, nsTimestamp(from + i * 60_000)));
  const load = await fetch(`${api.url}/api/v2/write?org=o&bucket=b&precision=ns`, {
    method: "POST",
    headers: { authorization: `Token ${attacker.deviceToken}`, "content-type": "text/plain; charset=utf-8" },
    body: `${lines.join("\n")}\n`,
  });
  if (load.status !== 204) throw new Error(`loading answered ${load.status}`);
  const variables = { a: engine, f: new Date(from).toISOString(), t: new Date(to + 60_000).toISOString() };
  const ingest = async () => {
    const started = performance.now();
    const res = await fetch(`${api.url}/api/v2/write?org=o&bucket=b&precision=ms`, {
      method: "POST",
      headers: { authorization: `Token ${victim.deviceToken}`, "content-type": "text/plain; charset=utf-8" },
      body: `${turbofanLine(2, fields[0] ?? "", String(Date.now()))}\n`,
    });
    await res.text();
    return performance.now() - started;
  };

  say(`API pid ${api.pid}; ${int(ROWS)} points of 24 sensors loaded for the attacker's engine_1`);
  const idleIngest: number[] = [];
  for (let i = 0; i < 20; i++) idleIngest.push(await ingest());
  const rssBefore = await rssMb(api.pid);
  const document = aliases(303);
  say(
    `303-alias document: ${int(Buffer.byteLength(document))} bytes; ${ROUNDS} rounds of ${PARALLEL} in parallel, with the attacker's token`,
  );

  let peak = rssBefore;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, await rssMb(api.pid));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  const busyIngest: number[] = [];
  const victimLoop = (async () => {
    while (sampling) busyIngest.push(await ingest());
  })();
  const answers: Awaited<ReturnType<typeof post>>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    answers.push(...(await Promise.all(Array.from({ length: PARALLEL }, () => post(api.url, document, variables, attacker.token)))));
  }
  sampling = false;
  await Promise.all([sampler, victimLoop]);
  const codes = new Map<string, number>();
  for (const a of answers) codes.set(`${a.status} ${a.code}`, (codes.get(`${a.status} ${a.code}`) ?? 0) + 1);
  say(`  answers: ${[...codes].map(([k, n]) => `${n} × ${k}`).join(", ")}`);
  say(
    `  largest answer ${int(Math.max(...answers.map((a) => a.bytes)))} bytes; median time ${median(answers.map((a) => a.ms)).toFixed(1)} ms`,
  );
  say(`  API RSS before ${rssBefore.toFixed(0)} MB, peak during ${peak.toFixed(0)} MB`);
  say(
    `  another tenant's ingest (1 line): median ${median(idleIngest).toFixed(2)} ms idle, ${median(busyIngest).toFixed(2)} ms during the attack`,
  );

  const largest = aliases(4);
  const allowed = await post(api.url, largest, variables, attacker.token);
  say(
    `largest telemetry read the cost limit lets through (4 aliases × limit ${ROWS}, all sensors): ${allowed.status} ${allowed.code}, ${int(allowed.bytes)} bytes, ${allowed.ms.toFixed(0)} ms, RSS after ${(await rssMb(api.pid)).toFixed(0)} MB`,
  );

  for (const count of [22, 300]) {
    const answer = await post(api.url, doubling(count), {});
    say(`doubling fragments, ${count}: ${answer.status} ${answer.code} in ${answer.ms.toFixed(1)} ms (no token)`);
  }
});
