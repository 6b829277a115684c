import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as ops from "./generated/graphql.js";
import { type Api, gql, newOperator, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { findLeak } from "./support/leaks.js";

interface Answer {
  readonly status: number;
  readonly text: string;
  readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[];
}

async function post(api: Api, body: unknown, token?: string): Promise<Answer> {
  const res = await fetch(`${api.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = JSON.parse(text) as { errors?: Answer["errors"] };
  return { status: res.status, text, errors: parsed.errors ?? [] };
}

const RENAME = "mutation Rename($name: String!) { renameTenant(name: $name) { id name } }";

describe("the argument layer and the error edge", () => {
  let api: Api;
  let t: TestTenant;
  before(async () => {
    api = await startApi();
    t = await newTenant(api);
  });
  after(() => api?.close());

  it("refuses a lone UTF-16 surrogate in any text argument as VALIDATION, before the database sees it", async () => {
    // JSON's \ud800 escape decodes to half a character; Postgres refused it with 22P02 (INTERNAL).
    const body = `{"query":${JSON.stringify(RENAME)},"variables":{"name":"Acme \\ud800 Turbines"}}`;
    const answer = await post(api, body, t.token);
    assert.equal(answer.errors[0]?.extensions?.code, "VALIDATION", answer.text);
    assert.match(answer.errors[0]?.message ?? "", /\$name.*lone UTF-16 surrogate/);
    const low = await post(api, `{"query":${JSON.stringify(RENAME)},"variables":{"name":"\\udc00"}}`, t.token);
    assert.equal(low.errors[0]?.extensions?.code, "VALIDATION", low.text);
    const { tenant } = await gqlData(api, t);
    assert.equal(tenant, "Acme Turbines", "the name is unchanged");
  });

  it("refuses NUL characters in variables, in nested inputs and in literals", async () => {
    const nul = await post(api, { query: RENAME, variables: { name: "Acme\u0000" } }, t.token);
    assert.equal(nul.errors[0]?.extensions?.code, "VALIDATION", nul.text);
    assert.match(nul.errors[0]?.message ?? "", /NUL/);
    const nested = await post(
      api,
      {
        query: "mutation($input: CreateAssetTypeInput!) { createAssetType(input: $input) { id } }",
        variables: { input: { key: "pump", name: "Pump", sensors: [{ key: "flow", unit: "l\u0000s" }] } },
      },
      t.token,
    );
    assert.equal(nested.errors[0]?.extensions?.code, "VALIDATION", nested.text);
    assert.match(nested.errors[0]?.message ?? "", /\$input\.sensors\[0\]\.unit/);
    const literal = await post(api, { query: 'mutation { renameTenant(name: "Acme\\u0000") { id } }' }, t.token);
    assert.equal(literal.errors[0]?.extensions?.code, "VALIDATION", literal.text);
    const fine = await post(api, { query: RENAME, variables: { name: "Acme 😀 Turbinen GmbH" } }, t.token);
    assert.deepEqual(fine.errors, [], "a well-formed surrogate pair is ordinary text");
  });

  it("checks a deeply nested variable without overflowing the stack", async () => {
    // Written as text: JSON.stringify itself recurses.
    const deep = `${"[".repeat(50_000)}"x\\u0000"${"]".repeat(50_000)}`;
    const answer = await post(api, `{"query":${JSON.stringify(RENAME)},"variables":{"name":"ok","unused":${deep}}}`, t.token);
    assert.equal(answer.errors[0]?.extensions?.code, "VALIDATION", answer.text.slice(0, 300));
    assert.equal(findLeak(answer.text), undefined);
  });

  it("answers a document nested too deeply to parse with VALIDATION and no engine text", async () => {
    // 3,000 levels overflow graphql-js's recursive parser; its RangeError text was echoed.
    const query = `{${"a{".repeat(3_000)}b${"}".repeat(3_001)}`;
    const answer = await post(api, { query }, t.token);
    assert.equal(answer.errors[0]?.extensions?.code, "VALIDATION", answer.text.slice(0, 300));
    assert.doesNotMatch(answer.text, /call stack/i);
    assert.equal(findLeak(answer.text), undefined, answer.text.slice(0, 300));
    assert.match(String(answer.errors[0]?.extensions?.requestId ?? ""), /^req_/);
    const lists = await post(api, { query: `{ tenant(x: ${"[".repeat(3_000)}${"]".repeat(3_000)}) { id } }` }, t.token);
    assert.equal(lists.errors[0]?.extensions?.code, "VALIDATION");
    assert.doesNotMatch(lists.text, /call stack/i);
    const health = await fetch(`${api.url}/healthz`);
    assert.equal(health.status, 200);
  });
});

async function gqlData(api: Api, t: TestTenant): Promise<{ tenant: string | undefined }> {
  const result = await gql(api, ops.TenantDocument, {}, t.token);
  return { tenant: result.data?.tenant.name };
}

describe("/readyz", () => {
  let api: Api;
  before(async () => {
    api = await startApi(testConfig({ READYZ_DETAIL: "operators" }));
  });
  after(() => api?.close());

  it("tells anyone only whether it is ready, and operators every backend with its timing", async () => {
    const anonymous = await fetch(`${api.url}/readyz`);
    assert.equal(anonymous.status, 200);
    assert.deepEqual(await anonymous.json(), { ready: true });

    const t = await newTenant(api);
    const member = await fetch(`${api.url}/readyz`, { headers: { authorization: `Bearer ${t.token}` } });
    assert.deepEqual(await member.json(), { ready: true }, "a tenant's owner is not an operator");

    const forged = await fetch(`${api.url}/readyz`, { headers: { authorization: "Bearer not-a-token" } });
    assert.deepEqual(await forged.json(), { ready: true });

    const operator = await newOperator(api, "support");
    const detailed = await fetch(`${api.url}/readyz`, { headers: { authorization: `Bearer ${operator.token}` } });
    const body = (await detailed.json()) as { ready: boolean; checks?: Record<string, { ok: boolean; ms: number }> };
    assert.equal(body.ready, true);
    assert.deepEqual(Object.keys(body.checks ?? {}).sort(), [
      "accepting",
      "alert_feed",
      "influxdb",
      "mqtt",
      "postgres",
      "postgres_operators",
      "stripe",
      "temporal",
    ]);
  });
});

describe("/readyz under a flood of probes", () => {
  let api: Api;
  before(async () => {
    api = await startApi();
  });
  after(() => api?.close());

  it("asks the backends once for many parallel probes, and again only after a second", async () => {
    const probe = async () => {
      const res = await fetch(`${api.url}/readyz`);
      assert.equal(res.status, 200);
      return (await res.json()) as { checkedAt?: string; checks?: Record<string, unknown> };
    };
    const first = await Promise.all(Array.from({ length: 40 }, probe));
    const runs = new Set(first.map((b) => b.checkedAt));
    assert.equal(runs.size, 1, `40 parallel probes share one run of the backend checks, not ${runs.size}`);
    assert.ok(first[0]?.checks && Object.keys(first[0].checks).includes("accepting"));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const later = await probe();
    assert.ok(later.checkedAt !== undefined && !runs.has(later.checkedAt), "a probe a second later asks the backends again");
  });
});
