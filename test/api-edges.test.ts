import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GraphQLError } from "graphql";
import { formatGraphQLError, INTERNAL_MESSAGE } from "../src/api/errors.js";
import { AppError } from "../src/core/errors.js";
import { maskUrl } from "../src/core/logger.js";
import * as ops from "./generated/graphql.js";
import { type Api, gql, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";

async function post(api: Api, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return { status: res.status, body: (await res.json()) as { errors?: { message: string; extensions?: Record<string, unknown> }[] } };
}

describe("the HTTP edge: limits, errors, health", () => {
  let api: Api;
  let t: TestTenant;
  before(async () => {
    api = await startApi(testConfig({ GRAPHQL_MAX_DEPTH: "3", GRAPHQL_MAX_QUERY_BYTES: "2000" }));
    t = await newTenant(api);
  });
  after(() => api?.close());

  it("refuses operations nested deeper than the limit, also through fragments", async () => {
    const auth = { authorization: `Bearer ${t.token}` };
    const three = await post(api, JSON.stringify({ query: "{ members { pageInfo { endCursor } } }" }), auth);
    assert.equal(three.body.errors, undefined, "depth 3 is allowed");
    const four = await post(api, JSON.stringify({ query: "{ members { edges { node { userId } } } }" }), auth);
    assert.equal(four.status, 400);
    assert.equal(four.body.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(four.body.errors?.[0]?.message ?? "", /4 levels deep; at most 3/);
    const viaFragment = await post(
      api,
      JSON.stringify({ query: "query { members { ...M } } fragment M on MemberConnection { edges { node { userId } } }" }),
      auth,
    );
    assert.equal(viaFragment.body.errors?.[0]?.extensions?.code, "VALIDATION");
  });

  it("refuses a query longer than the size limit with 413", async () => {
    const query = `{ viewer { kind ${"scopes ".repeat(400)} } }`;
    const res = await post(api, JSON.stringify({ query }), { authorization: `Bearer ${t.token}` });
    assert.equal(res.status, 413);
    assert.equal(res.body.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(res.body.errors?.[0]?.message ?? "", /2000 bytes/);
  });

  it("answers VALIDATION to malformed JSON, unknown fields and wrong argument types", async () => {
    const broken = await post(api, "{ not json");
    assert.equal(broken.status, 400);
    assert.equal(broken.body.errors?.[0]?.extensions?.code, "VALIDATION");
    const unknown = await post(api, JSON.stringify({ query: "{ tenant { nope } }" }), { authorization: `Bearer ${t.token}` });
    assert.equal(unknown.body.errors?.[0]?.extensions?.code, "VALIDATION");
    assert.match(unknown.body.errors?.[0]?.message ?? "", /nope/);
    const wrongType = await gql(api, ops.MembersDocument, { first: "ten" as unknown as number }, t.token);
    assert.equal(wrongType.errors?.[0]?.extensions?.code, "VALIDATION");
  });

  it("answers INTERNAL with a request id and no internals when something breaks", async () => {
    const broken = await startApi(testConfig({ LOG_LEVEL: "silent" }));
    try {
      await broken.services.db.close();
      const res = await gql(broken, ops.TenantDocument, {}, t.token);
      const error = res.errors?.[0];
      assert.equal(error?.extensions?.code, "INTERNAL");
      assert.equal(error?.message, INTERNAL_MESSAGE);
      assert.equal(error?.extensions?.requestId, res.requestId);
      assert.ok(!/postgres|connection|stack|\.js/i.test(JSON.stringify(res.errors)), JSON.stringify(res.errors));
    } finally {
      await broken.close();
    }
  });

  it("maps an unexpected error to INTERNAL with a fixed message, whatever it says", () => {
    const leaky = new GraphQLError("boom", {
      path: ["tenant"],
      originalError: new Error("select password_hash from users where email = $1 at /src/x.ts:3"),
    });
    const formatted = formatGraphQLError(
      { message: leaky.message, path: ["tenant"], extensions: { code: "INTERNAL_SERVER_ERROR" } },
      leaky,
    );
    assert.deepEqual(formatted, { path: ["tenant"], message: INTERNAL_MESSAGE, extensions: { code: "INTERNAL" } });
    const typed = new GraphQLError("x", {
      path: ["tenant"],
      originalError: new AppError("CONFLICT", "Already there.", { field: "email" }),
    });
    assert.deepEqual(formatGraphQLError({ message: "x", path: ["tenant"] }, typed), {
      path: ["tenant"],
      message: "Already there.",
      extensions: { field: "email", code: "CONFLICT" },
    });
  });

  it("masks credentials in logged URLs", () => {
    assert.equal(maskUrl("/write?db=x&u=gw&p=pdmd_abc_def&precision=s"), "/write?db=x&u=***&p=***&precision=s");
    assert.equal(maskUrl("/graphql?query=%7B%7D"), "/graphql?query=%7B%7D");
  });

  it("answers /healthz, /readyz with every service, the JWKS and a typed 404", async () => {
    const health = await fetch(`${api.url}/healthz`);
    assert.equal(health.status, 200);
    const ready = await fetch(`${api.url}/readyz`);
    const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    assert.equal(ready.status, 200, JSON.stringify(body));
    assert.deepEqual(Object.keys(body.checks).sort(), [
      "accepting",
      "alert_feed",
      "influxdb",
      "mqtt",
      "postgres",
      "postgres_operators",
      "stripe",
      "temporal",
    ]);
    assert.ok(Object.values(body.checks).every((c) => c.ok));
    const jwks = (await (await fetch(`${api.url}/.well-known/jwks.json`)).json()) as { keys: { kty: string; alg: string }[] };
    assert.ok(jwks.keys.length > 0 && jwks.keys.every((k) => k.kty === "EC" && k.alg === "ES256"));
    const missing = await fetch(`${api.url}/nowhere`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { code: string }).code, "NOT_FOUND");
    assert.match(missing.headers.get("x-request-id") ?? "", /^req_/);
  });

  it("reports not ready, naming the service, when one is down", async () => {
    const degraded = await startApi(testConfig({ INFLUX_URL: "http://127.0.0.1:9" }));
    try {
      const res = await fetch(`${degraded.url}/readyz`);
      const body = (await res.json()) as { ready: boolean; checks: Record<string, { ok: boolean; error?: string }> };
      assert.equal(res.status, 503);
      assert.equal(body.ready, false);
      assert.equal(body.checks.influxdb?.ok, false);
      assert.equal(body.checks.postgres?.ok, true);
      assert.ok(!JSON.stringify(body).includes("127.0.0.1"), "the public answer names no address or error text");
    } finally {
      await degraded.close();
    }
  });
});
