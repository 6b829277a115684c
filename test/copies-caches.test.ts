import assert from "node:assert/strict";
import { type ChildProcess, execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { after, before, describe, it, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startApi as startApiProcess, stopApi } from "../scripts/api-process.js";
import { createPersistedQueryStore } from "../src/api/persisted-queries.js";
import type { Db } from "../src/db/client.js";
import { tenantDatabase } from "../src/telemetry/influx/influxql.js";
import * as g from "./generated/graphql.js";
import {
  createTestPlan,
  deliverWebhook,
  financeOperatorToken,
  signedStripeEvent,
  subscribeTenant,
  subscriptionObject,
} from "./support/billing.js";
import { type Api, gql, gqlOk, newFleet, newTenant, PASSWORD, startApi, TEST_ENV, type TestTenant, testConfig } from "./support/harness.js";
import { ownerDb } from "./support/plans.js";
import { msToNs, turbofanLine, type WriteAnswer, writeV2 } from "./support/telemetry.js";

/**
 * Two API processes behind an imagined load balancer: a change made through one copy (or by the
 * operators' own tools) is followed by the very next request on every copy. Each check makes one
 * request per copy right after the change returned, never a retry, and logs how long the pair took.
 */
describe("every API copy follows a change at once", () => {
  /** In-process, for fixtures only: sign-ups, fleets, plans and signed Stripe events. */
  let fixtures: Api;
  /** The copies under test, each its own process; the fixtures' helpers pointed at them. */
  let a: Api;
  let b: Api;
  let owner: Db;
  const children: ChildProcess[] = [];
  let cycle = 0;
  /** When announcements reached the test's own listening connection (as they reach each copy's). */
  const announced: number[] = [];

  before(async () => {
    fixtures = await startApi(testConfig({ MQTT_BRIDGE: "off" }));
    owner = ownerDb();
    await owner.sql.listen("pdm_changes", () => announced.push(performance.now()));
    const env = { ...TEST_ENV, MQTT_BRIDGE: "off", TRUST_PROXY: "loopback" };
    for (const name of ["A", "B"]) {
      const copy = await startApiProcess(env);
      children.push(copy.child);
      if (name === "A") a = { ...fixtures, url: copy.url };
      else b = { ...fixtures, url: copy.url };
    }
  });

  after(async () => {
    for (const child of children) await stopApi(child);
    await owner?.close();
    await fixtures?.close();
  });

  /** A fresh point of engine_1 (or another asset) an hour ago, so no two batches are the same. */
  const line = (asset = "engine_1") => {
    cycle += 1;
    return turbofanLine(asset, cycle, msToNs(Date.now() - 3_600_000 + cycle));
  };
  const lines = (n: number) => Array.from({ length: n }, () => line()).join("\n");

  /** One request to each copy at the same moment; the time until both answered. */
  async function onBoth<T>(request: (copy: Api) => Promise<T>): Promise<{ a: T; b: T; ms: number }> {
    const started = performance.now();
    const [onA, onB] = await Promise.all([request(a), request(b)]);
    return { a: onA, b: onB, ms: performance.now() - started };
  }

  /** The duration of the tenant's default retention policy, straight from InfluxDB. */
  async function retentionOf(tenantId: string): Promise<string | undefined> {
    const { INFLUX_URL, INFLUX_USERNAME, INFLUX_PASSWORD } = fixtures.services.config;
    const url = new URL("/query", INFLUX_URL);
    url.searchParams.set("q", `SHOW RETENTION POLICIES ON "${tenantDatabase(tenantId)}"`);
    const res = await fetch(url, {
      headers: { authorization: `Basic ${Buffer.from(`${INFLUX_USERNAME}:${INFLUX_PASSWORD}`).toString("base64")}` },
    });
    const body = (await res.json()) as { results: { series?: { values: unknown[][] }[] }[] };
    const row = body.results[0]?.series?.[0]?.values.find((v) => v[0] === "autogen" && v[4] === true);
    return typeof row?.[1] === "string" ? row[1] : undefined;
  }

  /** Makes a change and notes when it was asked for and when its answer came back (after its commit). */
  async function change<T>(make: () => Promise<T>): Promise<T & { sentAt: number; answeredAt: number }> {
    const sentAt = performance.now();
    const result = await make();
    return { ...result, sentAt, answeredAt: performance.now() };
  }

  /** Logs the figures of one change: when its announcement arrived, and when both copies had answered. */
  function report(t: TestContext, what: string, made: { sentAt: number; answeredAt: number }, pair: { ms: number }) {
    const arrival = announced.find((at) => at >= made.sentAt);
    const lag = arrival === undefined ? "not seen" : `${(arrival - made.answeredAt).toFixed(1)} ms`;
    t.diagnostic(
      `${what}: announcement at a listener ${lag} from the change's answer (negative: before it); ` +
        `both copies answered their next request ${pair.ms.toFixed(1)} ms after the change's answer`,
    );
  }
  const statuses = (r: { a: WriteAnswer; b: WriteAnswer }) => [r.a.status, r.b.status];

  async function subscribed(tenant: TestTenant, plan: { id: string; code: string }) {
    const { customerId, subscriptionId } = await subscribeTenant(a, tenant, plan.code);
    return (status: string) =>
      subscriptionObject({
        id: subscriptionId,
        customer: customerId,
        tenantId: tenant.tenantId,
        planId: plan.id,
        planCode: plan.code,
        status,
      });
  }

  it("refuses a tenant made read-only, then cancelled, by Stripe's webhook on copy A, on both copies' next batch", async (t) => {
    const tenant = await newTenant(fixtures, "Paused Ltd");
    const plan = await createTestPlan(fixtures, { name: "Copies plan" });
    const subscription = await subscribed(tenant, plan);
    const fleet = await newFleet(fixtures, tenant, { assets: 1 });
    assert.deepEqual(statuses(await onBoth((copy) => writeV2(copy, fleet.deviceToken, line()))), [204, 204], "both copies hold the scope");
    const unchanged = await onBoth((copy) => writeV2(copy, fleet.deviceToken, line()));
    t.diagnostic(`for comparison, nothing changed: both copies answered a batch in ${unchanged.ms.toFixed(1)} ms`);

    const paused = await change(() =>
      deliverWebhook(a, signedStripeEvent(fixtures, "customer.subscription.updated", subscription("paused"))),
    );
    assert.equal(paused.body.outcome, "applied");
    const readOnly = await onBoth((copy) => writeV2(copy, fleet.deviceToken, line()));
    assert.deepEqual(statuses(readOnly), [402, 402], "read-only on both copies");
    assert.equal(readOnly.b.body.billingStatus, "read_only");
    report(t, "read-only", paused, readOnly);

    const paid = await change(() =>
      deliverWebhook(a, signedStripeEvent(fixtures, "customer.subscription.updated", subscription("active"))),
    );
    assert.equal(paid.body.outcome, "applied");
    const writing = await onBoth((copy) => writeV2(copy, fleet.deviceToken, line()));
    assert.deepEqual(statuses(writing), [204, 204], "paid again: both copies write again at once");
    report(t, "active again", paid, writing);

    const ended = await change(() =>
      deliverWebhook(a, signedStripeEvent(fixtures, "customer.subscription.deleted", subscription("canceled"))),
    );
    assert.equal(ended.body.outcome, "applied");
    const cancelled = await onBoth((copy) => writeV2(copy, fleet.deviceToken, line()));
    assert.deepEqual(statuses(cancelled), [402, 402], "cancelled on both copies");
    assert.match(String(cancelled.b.body.message), /subscription has ended/);
    report(t, "cancelled", ended, cancelled);
  });

  it("refuses on copy B an asset removed from the device through copy A", async (t) => {
    const tenant = await newTenant(fixtures, "Unlinked Ltd");
    const fleet = await newFleet(fixtures, tenant, { assets: 2 });
    const [kept, removed] = fleet.assets;
    assert.ok(kept && removed);
    assert.deepEqual(statuses(await onBoth((copy) => writeV2(copy, fleet.deviceToken, line(removed.externalId)))), [204, 204]);

    const unlinked = await change(() =>
      gqlOk(a, g.SetDeviceAssetsDocument, { deviceId: fleet.deviceId, assetIds: [kept.id] }, tenant.token),
    );
    const refused = await onBoth((copy) => writeV2(copy, fleet.deviceToken, line(removed.externalId)));
    assert.deepEqual(statuses(refused), [403, 403], "the removed asset is refused on both copies");
    assert.equal((await writeV2(b, fleet.deviceToken, line(kept.externalId))).status, 204, "the kept asset is still written");
    report(t, "asset removed", unlinked, refused);
  });

  it("applies a lowered daily quota on both copies at once: the plan's (finance, through copy A) and the tenant's own (SQL)", async (t) => {
    const tenant = await newTenant(fixtures, "Quota Ltd");
    const plan = await createTestPlan(fixtures, { name: "Quota plan", pointsPerDay: 1000 });
    await subscribed(tenant, plan);
    const fleet = await newFleet(fixtures, tenant, { assets: 1 });
    assert.deepEqual(statuses(await onBoth((copy) => writeV2(copy, fleet.deviceToken, lines(10)))), [204, 204], "20 points today");

    const finance = await financeOperatorToken(fixtures);
    const lowered = await change(() =>
      gqlOk(
        a,
        g.OperatorUpdatePlanDocument,
        { id: plan.id, input: { pointsPerDay: 25 }, reason: "lower the daily points of the quota plan" },
        finance,
      ),
    );
    assert.equal(lowered.operatorUpdatePlan.entitlements.pointsPerDay, 25);
    const byPlan = await onBoth((copy) => writeV2(copy, fleet.deviceToken, lines(10)));
    assert.deepEqual(statuses(byPlan), [429, 429], "20 used + 10 is over the plan's new 25 on both copies");
    assert.equal(byPlan.b.body.limit, 25);
    report(t, "plan's points per day lowered", lowered, byPlan);

    // No API sets the tenant's own quota: operators change it in SQL, and the copies follow that too.
    const byHand = await change(async () => ({
      rows: await owner.sql`update tenants set daily_point_quota = 22 where id = ${tenant.tenantId}`,
    }));
    const byTenant = await onBoth((copy) => writeV2(copy, fleet.deviceToken, lines(3)));
    assert.deepEqual(statuses(byTenant), [429, 429], "20 used + 3 is over the tenant's own 22 on both copies");
    assert.equal(byTenant.a.body.limit, 22);
    report(t, "tenant's own quota lowered", byHand, byTenant);
  });

  it("does not set a tenant's telemetry retention back after a plan change, on a copy that loaded the tenant before", async () => {
    const tenant = await newTenant(fixtures, "Retention Ltd");
    const short = await createTestPlan(fixtures, { name: "Short retention", retentionDays: 30 });
    const long = await createTestPlan(fixtures, { name: "Long retention", retentionDays: 400 });
    await subscribed(tenant, short);
    const fleet = await newFleet(fixtures, tenant, { assets: 1 });
    assert.equal((await writeV2(a, fleet.deviceToken, line())).status, 204, "copy A creates the database (30 days)");
    const bad = await writeV2(b, fleet.deviceToken, `turbofan,asset=engine_1 nosuchsensor=1 ${msToNs(Date.now())}`);
    assert.equal(bad.status, 400, "copy B loads the tenant (30 days) and writes nothing");

    await subscribeTenant(a, tenant, long.code);
    const [row] = await owner.sql<{ retention_days: number }[]>`select retention_days from tenants where id = ${tenant.tenantId}`;
    assert.equal(row?.retention_days, 400);
    assert.equal((await writeV2(b, fleet.deviceToken, line())).status, 204, "copy B writes after the plan change");
    assert.equal(await retentionOf(tenant.tenantId), `${400 * 24}h0m0s`, "the new plan's 400 days stay");
  });

  describe("automatic persisted queries", () => {
    const post = async (copy: Api, body: Record<string, unknown>) => {
      const res = await fetch(`${copy.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
    };
    const persisted = (query: string) => ({
      persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") },
    });

    it("answers on copy B a query registered on copy A", async (t) => {
      const query = `query Probe { __typename } # ${randomUUID()}`;
      const unknown = await post(b, { extensions: persisted(query) });
      assert.equal(unknown.errors?.[0]?.message, "PersistedQueryNotFound", "not registered yet");
      const registered = await post(a, { query, extensions: persisted(query) });
      assert.deepEqual(registered.data, { __typename: "Query" });
      const both = await onBoth((copy) => post(copy, { extensions: persisted(query) }));
      assert.deepEqual(both.b.data, { __typename: "Query" }, "copy B knows the hash");
      assert.deepEqual(both.a.data, { __typename: "Query" });
      t.diagnostic(`persisted query: both copies answered by its hash ${both.ms.toFixed(1)} ms after the registration's answer`);
    });

    it("keeps at most its maximum of queries, each within the size limit and under its own hash", async () => {
      const key = (query: string) => `apq:${createHash("sha256").update(query).digest("hex")}`;
      const writer = createPersistedQueryStore(fixtures.services.db, { maxBytes: 200, maxEntries: 3 });
      // Another process's view: nothing in its own memory.
      const reader = () => createPersistedQueryStore(fixtures.services.db, { maxBytes: 200, maxEntries: 3 });
      const queries = Array.from({ length: 5 }, (_, i) => `query Ring${i} { __typename } # ${randomUUID()}`);
      for (const query of queries) await writer.set(key(query), query);
      const found = await Promise.all(queries.map((query) => reader().get(key(query))));
      assert.deepEqual(found, [undefined, undefined, ...queries.slice(2)], "the two oldest gave way");
      const [rows] = await owner.sql<{ n: number }[]>`select count(*)::int as n from graphql_persisted_queries`;
      assert.ok((rows?.n ?? 0) <= 3, `${rows?.n} rows for a maximum of 3`);

      const long = `query Long { __typename } # ${"x".repeat(200)}`;
      await writer.set(key(long), long);
      assert.equal(await reader().get(key(long)), undefined, "a query over the size limit is not kept");
      const first = queries[0] ?? "";
      await writer.set(key(first), "query Other { __typename }");
      assert.equal(await reader().get(key(first)), undefined, "a hash never names another query");
    });

    it("does not keep a query that did not validate", async () => {
      const query = `query Broken { noSuchField } # ${randomUUID()}`;
      const refused = await post(a, { query, extensions: persisted(query) });
      assert.match(refused.errors?.[0]?.message ?? "", /Cannot query field "noSuchField"/);
      for (const copy of [a, b]) {
        const after = await post(copy, { extensions: persisted(query) });
        assert.equal(after.errors?.[0]?.message, "PersistedQueryNotFound");
      }
    });
  });

  // Last: an emergency retirement ends every token signed so far, the fixtures' too.
  it("refuses on both copies a token of a signing key retired by the operators' key command", async (t) => {
    const tenant = await newTenant(fixtures, "Retired Keys Ltd");
    const viewer = await onBoth((copy) => gql(copy, g.ViewerDocument, {}, tenant.token));
    assert.deepEqual([viewer.a.errors, viewer.b.errors], [undefined, undefined], "both copies accept the token");

    const script = fileURLToPath(new URL("../scripts/rotate-keys.js", import.meta.url));
    const { stdout, ...retired } = await change(() =>
      promisify(execFile)(process.execPath, [script, "--retire-now"], { env: process.env }),
    );
    assert.match(stdout, /new signing key/);
    const refused = await onBoth((copy) => gql(copy, g.ViewerDocument, {}, tenant.token));
    assert.deepEqual(
      [refused.a.errors?.[0]?.extensions?.code, refused.b.errors?.[0]?.extensions?.code],
      ["UNAUTHENTICATED", "UNAUTHENTICATED"],
      "the retired key's token is refused by both copies",
    );
    report(t, "signing key retired", retired, refused);

    // A new sign-in through copy A is accepted by copy B: the new key reached it as well.
    const { signIn } = await gqlOk(a, g.SignInDocument, { input: { email: tenant.ownerEmail, password: PASSWORD } });
    const fresh = await gql(b, g.ViewerDocument, {}, signIn.token);
    assert.equal(fresh.errors, undefined);
  });
});
