import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { parse } from "graphql";
import { startApi as startApiProcess, stopApi } from "../scripts/api-process.js";
import * as ops from "./generated/graphql.js";
import {
  type Api,
  gqlOk,
  newApiKey,
  newFleet,
  newTenant,
  PASSWORD,
  startApi,
  type TestTenant,
  testConfig,
  uniqueEmail,
} from "./support/harness.js";
import { insertTestPlan, ownerDb, setSubscription } from "./support/plans.js";
import { subscribeOnce } from "./support/subscription.js";

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
    extensions?: {
      cost?: { requested: number; actual: number; throttle: { capacity: number; remaining: number; refillPerSecond: number } };
    };
  };
}

/** POSTs a GraphQL document over real HTTP, optionally from another loopback address. */
function post(url: string, query: string, options: { token?: string; variables?: unknown; localAddress?: string } = {}): Promise<Answer> {
  const body = JSON.stringify({ query, variables: options.variables ?? {} });
  const target = new URL("/graphql", url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const header = res.headers["retry-after"];
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: typeof header === "string" ? header : null,
            body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Answer["body"],
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const codeOf = (a: Answer): string => String(a.body.errors?.[0]?.extensions?.code ?? "OK");
const limitOf = (a: Answer): string => String(a.body.errors?.[0]?.extensions?.limit ?? "");

/** `query{...F0}` with fragments that each spread the next twice; the last holds `leaf`. */
function doublingFragments(count: number, leaf = "__typename"): string {
  const parts = ["query{...F0}"];
  for (let i = 0; i < count; i++) parts.push(`fragment F${i} on Query{...F${i + 1} ...F${i + 1}}`);
  parts.push(`fragment F${count} on Query{${leaf}}`);
  return parts.join(" ");
}

async function healthzWhile(api: string, work: Promise<Answer>): Promise<{ health: number; answer: Answer; ms: number }> {
  const started = performance.now();
  const timed = work.then((answer) => ({ answer, ms: performance.now() - started }));
  // Asked after the document was sent, so it waits behind it if the document blocks the process.
  await new Promise((resolve) => setImmediate(resolve));
  const health = (await fetch(`${api}/healthz`)).status;
  const { answer, ms } = await timed;
  return { health, answer, ms };
}

describe("GraphQL limits: documents that expand through fragments", () => {
  let api: Api;
  before(async () => {
    api = await startApi();
  });
  after(() => api?.close());

  for (const count of [22, 300]) {
    it(`answers the ${count}-fragment doubling document at once and /healthz meanwhile`, async () => {
      const { health, answer, ms } = await healthzWhile(api.url, post(api.url, doublingFragments(count)));
      process.stdout.write(`# ${count} doubling fragments: ${ms.toFixed(1)} ms, ${codeOf(answer)}\n`);
      assert.equal(health, 200);
      // Accepted cheaply (__typename costs nothing and is executed once) or refused: never stuck.
      if (codeOf(answer) === "OK") {
        assert.deepEqual(answer.body.data, { __typename: "Query" });
        assert.equal(answer.body.extensions?.cost?.requested, 0);
      } else {
        assert.equal(codeOf(answer), "VALIDATION");
      }
    });
  }

  it("counts a fragment once per spread: the doubling document with a costed leaf is refused by cost", async () => {
    const t = await newTenant(api);
    const answer = await post(api.url, doublingFragments(22, "tenant{id}"), { token: t.token });
    assert.equal(codeOf(answer), "VALIDATION");
    assert.equal(limitOf(answer), "cost");
    assert.match(answer.body.errors?.[0]?.message ?? "", /costs 4,194,304 points; at most 5,000/);
    assert.equal(answer.body.data, undefined);
  });
});

describe("GraphQL limits: each limit, just under and just over", () => {
  let api: Api;
  let t: TestTenant;
  before(async () => {
    api = await startApi(
      testConfig({ GRAPHQL_MAX_ALIASES: "32", GRAPHQL_MAX_DIRECTIVES: "16", GRAPHQL_MAX_COST: "151", GRAPHQL_MAX_TOKENS: "400" }),
    );
    t = await newTenant(api);
  });
  after(() => api?.close());

  const cases: { name: string; limit: string; under: string; over: string }[] = [
    { name: "aliases in the operation", limit: "aliases", under: aliases(32), over: aliases(33) },
    {
      name: "aliases through doubling fragments",
      limit: "aliases",
      under: doublingFragments(5, "a:__typename"),
      over: doublingFragments(6, "a:__typename"),
    },
    { name: "directives in the operation", limit: "directives", under: directives(16), over: directives(17) },
    {
      name: "directives through doubling fragments",
      limit: "directives",
      under: doublingFragments(4, "__typename @include(if: true)"),
      over: doublingFragments(5, "__typename @include(if: true)"),
    },
    { name: "cost of a page (first)", limit: "cost", under: page(75), over: page(76) },
    {
      name: "cost through doubling fragments",
      limit: "cost",
      under: doublingFragments(7, "viewer{userId}"),
      over: doublingFragments(8, "viewer{userId}"),
    },
  ];
  for (const c of cases) {
    it(`${c.name}: just under is answered, just over is refused naming the limit`, async () => {
      const under = await post(api.url, c.under, { token: t.token });
      assert.equal(codeOf(under), "OK", JSON.stringify(under.body.errors));
      const over = await post(api.url, c.over, { token: t.token });
      assert.equal(over.status, 400);
      assert.equal(codeOf(over), "VALIDATION");
      assert.equal(limitOf(over), c.limit);
      assert.equal(over.body.data, undefined, "nothing was executed");
    });
  }

  it("applies the same limits to graphql-ws subscriptions", async () => {
    const sub = (n: number) => parse(`subscription { alertRaised { ${Array.from({ length: n }, (_, i) => `a${i}: id`).join(" ")} } }`);
    const under = await subscribeOnce(api, sub(32), t.token);
    assert.equal(under.errors, undefined, JSON.stringify(under.errors));
    const over = await subscribeOnce(api, sub(33), t.token);
    assert.equal(over.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.equal(over.errors?.[0]?.extensions?.limit, "aliases");
  });

  it("stops parsing at the token limit", async () => {
    const under = await post(api.url, `{${" __typename".repeat(390)}}`, { token: t.token });
    assert.equal(codeOf(under), "OK");
    const over = await post(api.url, `{${" __typename".repeat(400)}}`, { token: t.token });
    assert.equal(codeOf(over), "VALIDATION");
    assert.match(over.body.errors?.[0]?.message ?? "", /400 tokens/);
  });

  function aliases(n: number): string {
    return `{${Array.from({ length: n }, (_, i) => ` a${i}: __typename`).join("")}}`;
  }
  function directives(n: number): string {
    return `{${Array.from({ length: n }, () => " __typename @include(if: true)").join("")}}`;
  }
  function page(first: number): string {
    // 1 for the connection + first × (edges 1 + node 1)
    return `{ assets(first: ${first}) { edges { node { id } } } }`;
  }
});

describe("GraphQL limits: the alias and workflow attacks", () => {
  let api: Api;
  let t: TestTenant;
  let fleet: Awaited<ReturnType<typeof newFleet>>;
  before(async () => {
    api = await startApi();
    t = await newTenant(api);
    fleet = await newFleet(api, t, { assets: 1 });
  });
  after(() => api?.close());

  // As sent in the attack: variables keep 303 aliases under the 20 KB query limit.
  const telemetryAliases = (n: number) => {
    const fields = Array.from({ length: n }, (_, i) => `a${i}:telemetry(assetId:$a,from:$f,to:$t,limit:4166){times values}`);
    return `query($a:ID!,$f:DateTimeISO!,$t:DateTimeISO!){${fields.join(" ")}}`;
  };
  const window = () => ({ a: fleet.assets[0]?.id, f: new Date(Date.now() - 86_400_000).toISOString(), t: new Date().toISOString() });

  it("refuses 303 aliased telemetry reads before any resolver runs", async () => {
    const answer = await post(api.url, telemetryAliases(303), { token: t.token, variables: window() });
    assert.equal(answer.status, 400);
    assert.equal(codeOf(answer), "VALIDATION");
    assert.equal(answer.body.data, undefined);
  });

  it("refuses aliased telemetry reads under the alias limit by their cost", async () => {
    const answer = await post(api.url, telemetryAliases(30), { token: t.token, variables: window() });
    assert.equal(codeOf(answer), "VALIDATION");
    assert.equal(limitOf(answer), "cost");
    assert.match(answer.body.errors?.[0]?.message ?? "", /costs 30,030 points; at most 5,000/);
    assert.equal(answer.body.data, undefined);
  });

  for (const count of [3, 50]) {
    it(`refuses ${count} aliased trainModel and starts no training run`, async () => {
      const fields = Array.from(
        { length: count },
        (_, i) => `t${i}: trainModel(input: {assetTypeId: "${fleet.typeId}", task: RUL, reason: "attack ${i}"}) { id }`,
      );
      const answer = await post(api.url, `mutation { ${fields.join(" ")} }`, { token: t.token });
      assert.equal(codeOf(answer), "VALIDATION");
      assert.equal(answer.body.data, undefined);
      const runs = await gqlOk(api, ops.TrainingRunsDocument, { assetTypeId: fleet.typeId, first: 100 }, t.token);
      assert.equal(runs.trainingRuns.edges.length, 0);
    });
  }

  it("reports the requested and actual cost and the caller's bucket on every answer", async () => {
    const answer = await post(api.url, "{ assets(first: 50) { edges { node { id } } } }", { token: t.token });
    assert.equal(codeOf(answer), "OK");
    const cost = answer.body.extensions?.cost;
    assert.ok(cost, "extensions.cost is present");
    assert.equal(cost.requested, 101);
    // one asset: the connection, the edges list's one edge and its node
    assert.ok(cost.actual < cost.requested && cost.actual >= 3, `actual ${cost.actual}`);
    assert.equal(cost.throttle.capacity, 60_000);
    assert.equal(cost.throttle.refillPerSecond, 1000);
    assert.ok(cost.throttle.remaining <= 60_000 && cost.throttle.remaining > 59_000);
  });
});

describe("GraphQL rate limit by cost", () => {
  const RENAME = 'mutation { renameTenant(name: "Renamed Turbines") { id name } }';

  it("answers RATE_LIMITED with retryAfterSeconds once an API key spent its minute, and nothing runs", async () => {
    const api = await startApi(testConfig({ GRAPHQL_COST_PER_MINUTE: "120" }));
    try {
      const t = await newTenant(api);
      const key = await newApiKey(api, t, ["tenant:read", "tenant:write"]);
      let limited: Answer | undefined;
      let allowed = 0;
      for (let i = 0; i < 40 && !limited; i++) {
        const answer = await post(api.url, RENAME, { token: key.secret });
        if (codeOf(answer) === "RATE_LIMITED") limited = answer;
        else {
          assert.equal(codeOf(answer), "OK");
          allowed += 1;
        }
      }
      assert.ok(limited, "the key was limited");
      assert.ok(allowed >= 5 && allowed <= 14, `allowed ${allowed} renames of 10 points in a 120-point minute`);
      assert.equal(limited.status, 429);
      const retry = limited.body.errors?.[0]?.extensions?.retryAfterSeconds;
      assert.ok(typeof retry === "number" && retry >= 1, `retryAfterSeconds ${String(retry)}`);
      assert.equal(limited.retryAfter, String(retry));
      assert.equal(limited.body.data, undefined);
      // Another caller of the same tenant has its own bucket.
      assert.equal(codeOf(await post(api.url, RENAME, { token: t.token })), "OK");
    } finally {
      await api.close();
    }
  });

  it("shares one bucket between two API processes", async () => {
    const env = { GRAPHQL_COST_PER_MINUTE: "120", MQTT_BRIDGE: "off" };
    const processes: ChildProcess[] = [];
    try {
      const a = await startApiProcess(env);
      processes.push(a.child);
      const b = await startApiProcess(env);
      processes.push(b.child);
      const owner = await signUpOver(a.url);
      let spent = false;
      for (let i = 0; i < 40 && !spent; i++) {
        const answer = await post(a.url, RENAME, { token: owner });
        spent = codeOf(answer) === "RATE_LIMITED";
      }
      assert.ok(spent, "process A limited the member");
      const onB = await post(b.url, RENAME, { token: owner });
      assert.equal(codeOf(onB), "RATE_LIMITED", "process B sees the bucket process A filled");
    } finally {
      for (const child of processes) await stopApi(child);
    }
  });

  it("gives anonymous requests a small allowance per client address", async () => {
    const api = await startApi(testConfig({ GRAPHQL_ANONYMOUS_COST_PER_MINUTE: "60" }));
    try {
      const signUp = (localAddress: string) =>
        post(api.url, "mutation($input: SignUpInput!) { signUp(input: $input) { email } }", {
          localAddress,
          variables: { input: { tenantName: "Anon Turbines", email: uniqueEmail("anon"), name: "Anne Anon", password: PASSWORD } },
        });
      // Loopback addresses of their own, so earlier requests of this run or another leave no trace.
      const octet = () => 2 + Math.floor(Math.random() * 250);
      const first = `127.${octet()}.${octet()}.${octet()}`;
      const second = `127.${octet()}.${octet()}.1`;
      let limited: Answer | undefined;
      let allowed = 0;
      for (let i = 0; i < 20 && !limited; i++) {
        const answer = await signUp(first);
        if (codeOf(answer) === "RATE_LIMITED") limited = answer;
        else allowed += 1;
      }
      assert.ok(limited, "the address was limited");
      assert.ok(allowed >= 3 && allowed <= 8, `allowed ${allowed} sign-ups of 10 points in a 60-point minute`);
      assert.equal(typeof limited.body.errors?.[0]?.extensions?.retryAfterSeconds, "number");
      // Another address has its own allowance.
      assert.equal(codeOf(await signUp(second)), "OK");
    } finally {
      await api.close();
    }
  });

  it("sizes a tenant's buckets by its plan's cost points per minute", async () => {
    const api = await startApi();
    const owner = ownerDb();
    try {
      const t = await newTenant(api);
      const before = await post(api.url, "{ viewer { kind } }", { token: t.token });
      assert.equal(before.body.extensions?.cost?.throttle.capacity, 60_000, "no plan: the default");
      const plan = await insertTestPlan(owner);
      await owner.sql`update plans set graphql_cost_per_minute = 40 where id = ${plan.id}`;
      await setSubscription(owner, t.tenantId, { planId: plan.id, status: "active" });
      const planned = await post(api.url, "{ viewer { kind } }", { token: t.token });
      assert.equal(planned.body.extensions?.cost?.throttle.capacity, 40);
      let limited = false;
      for (let i = 0; i < 10 && !limited; i++) limited = codeOf(await post(api.url, RENAME, { token: t.token })) === "RATE_LIMITED";
      assert.ok(limited, "40 points a minute allow a few renames only");
    } finally {
      await owner.close();
      await api.close();
    }
  });

  /** Signs up (the answer carries no token, whoever asks) and signs in, over one API process. */
  async function signUpOver(url: string): Promise<string> {
    const email = uniqueEmail("shared");
    const signUp = await post(url, "mutation($input: SignUpInput!) { signUp(input: $input) { email } }", {
      variables: { input: { tenantName: "Shared Turbines", email, name: "Sam Shared", password: PASSWORD } },
    });
    assert.equal(signUp.body.errors, undefined, JSON.stringify(signUp.body.errors));
    const answer = await post(url, "mutation($input: SignInInput!) { signIn(input: $input) { token } }", {
      variables: { input: { email, password: PASSWORD } },
    });
    const token = (answer.body.data?.signIn as { token?: string } | undefined)?.token;
    assert.ok(token, JSON.stringify(answer.body.errors));
    return token;
  }
});
