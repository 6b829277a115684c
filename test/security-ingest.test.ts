import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import mqtt from "mqtt";
import type { Db } from "../src/db/client.js";
import { DEFAULT_MAX_SERIES } from "../src/telemetry/series.js";
import * as ops from "./generated/graphql.js";
import { type Api, gql, newFleet, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { insertTestPlan, ownerDb, setSubscription } from "./support/plans.js";
import { countPoints, msToNs, turbofanLine, waitFor, writeV2 } from "./support/telemetry.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;

/** A TCP proxy to Postgres that the test can take down, as if the database went away. */
async function startTcpProxy(target: URL): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === "object");
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

describe("ingest limits, the series budget and bounded errors", { timeout: 180_000 }, () => {
  let api: Api;
  let owner: Db;
  let t: TestTenant;
  let fleet: Fleet;
  const base = Date.now() - 3_600_000;
  /** One point of series (engine_1, run=<run>) at second `second`. */
  const runLine = (run: string, second: number) =>
    `turbofan,asset=engine_1,run=${run} s1=${500 + second},s2=1 ${msToNs(base + second * 1000)}`;

  async function ledgerTotal(tenantId: string): Promise<number> {
    const [row] = await owner.sql<{ n: string | null }[]>`
      select sum(quantity)::bigint as n from usage_ledger where tenant_id = ${tenantId} and meter = 'points_ingested'`;
    return Number(row?.n ?? 0);
  }

  before(async () => {
    api = await startApi();
    owner = ownerDb();
    t = await newTenant(api, "Series Ltd");
    fleet = await newFleet(api, t, { assets: 1 });
    const plan = await insertTestPlan(owner);
    await owner.sql`update plans set max_series = 5 where id = ${plan.id}`;
    await setSubscription(owner, t.tenantId, { planId: plan.id, status: "active" });
    api.services.scopes.clear();
  });
  after(async () => {
    await owner?.close();
    await api?.close();
  });

  it("refuses a whole batch that would pass the plan's series budget, before InfluxDB sees it, and bills nothing", async () => {
    const first = ["a", "b", "c", "d"].map((run, i) => runLine(run, i)).join("\n");
    assert.equal((await writeV2(api, fleet.deviceToken, first)).status, 204);
    assert.equal(await countPoints(api, t.tenantId), 4);
    const ledger = await ledgerTotal(t.tenantId);

    // Two points on known series, then two new series: one fits, the second does not.
    const over = [runLine("a", 10), runLine("b", 11), runLine("e", 12), runLine("f", 13)].join("\n");
    const res = await writeV2(api, fleet.deviceToken, over);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("x-pdm-error-code"), "QUOTA_EXCEEDED");
    assert.equal(res.body.entitlement, "maxSeries");
    assert.equal(res.body.limit, 5);
    assert.equal(res.body.used, 4);
    assert.equal(res.body.requested, 2);
    assert.equal(res.body.line, 3);
    assert.match(String(res.body.message), /allows 5 series/);
    assert.equal(await countPoints(api, t.tenantId), 4, "no point of the refused batch was stored");
    assert.equal(await ledgerTotal(t.tenantId), ledger, "nothing was billed");

    // Known series keep working, and the last place can still be taken.
    assert.equal((await writeV2(api, fleet.deviceToken, [runLine("a", 20), runLine("e", 21)].join("\n"))).status, 204);
    assert.equal(await countPoints(api, t.tenantId), 6);
    assert.equal((await writeV2(api, fleet.deviceToken, runLine("g", 22))).status, 429);
  });

  it("holds the budget under parallel batches that each bring a new series", async () => {
    const other = await newTenant(api, "Parallel Series Ltd");
    const otherFleet = await newFleet(api, other, { assets: 1 });
    const plan = await insertTestPlan(owner);
    await owner.sql`update plans set max_series = 3 where id = ${plan.id}`;
    await setSubscription(owner, other.tenantId, { planId: plan.id, status: "active" });
    api.services.scopes.clear();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => writeV2(api, otherFleet.deviceToken, runLine(`p${i}`, 100 + i))));
    assert.equal(answers.filter((a) => a.status === 204).length, 3);
    assert.equal(answers.filter((a) => a.status === 429).length, 5);
    assert.equal(await countPoints(api, other.tenantId), 3);
    const [row] = await owner.sql<{ n: number }[]>`select count(*)::int as n from telemetry_series where tenant_id = ${other.tenantId}`;
    assert.equal(row?.n, 3);
  });

  it("applies the same budget over MQTT", async () => {
    const client = await mqtt.connectAsync(testConfig().MQTT_URL, {
      username: fleet.mqttUsername,
      password: fleet.deviceToken,
      clientId: fleet.mqttClientId,
      reconnectPeriod: 0,
      protocolVersion: 5,
    });
    try {
      await client.publishAsync(fleet.mqttTopic, [runLine("a", 30), runLine("mqtt-new", 31)].join("\n"), { qos: 1 });
      await client.publishAsync(fleet.mqttTopic, runLine("b", 32), { qos: 1 });
      // Messages of one publisher are handled in order: once the second is stored, the first was refused.
      await waitFor("the known series' point", async () => ((await countPoints(api, t.tenantId)) >= 7 ? true : undefined), 15_000);
      assert.equal(await countPoints(api, t.tenantId), 7);
    } finally {
      await client.endAsync();
    }
  });

  it("documents a platform default below InfluxDB's 100,000 values per tag", () => {
    assert.ok(DEFAULT_MAX_SERIES < 100_000);
  });

  it("refuses tags beyond the caps with 400 and the line", async () => {
    const long = "x".repeat(257);
    const cases = [
      { body: `turbofan,asset=engine_1,run=${long} s1=1 ${msToNs(base)}`, reason: /longer than 256 characters/ },
      { body: `turbofan,asset=engine_1,${"k".repeat(129)}=v s1=1 ${msToNs(base)}`, reason: /longer than 128 characters/ },
      {
        body: `turbofan,asset=engine_1,${Array.from({ length: 9 }, (_, i) => `t${i}=v`).join(",")} s1=1 ${msToNs(base)}`,
        reason: /too many tags/,
      },
    ];
    for (const c of cases) {
      const res = await writeV2(api, fleet.deviceToken, `${runLine("a", 40)}\n${c.body}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.line, 2);
      assert.match(String(res.body.message), c.reason);
    }
  });

  it("bounds the error for 50,000 unknown sensor names", async () => {
    const sensors = Array.from({ length: 50_000 }, (_, i) => `nosuch${i}`);
    const result = await gql(
      api,
      ops.TelemetryDocument,
      { assetId: fleet.assets[0]?.id ?? "", from: new Date(base).toISOString(), to: new Date().toISOString(), sensors },
      t.token,
    );
    const error = result.errors?.[0];
    assert.equal(error?.extensions?.code, "VALIDATION");
    assert.ok((error?.message.length ?? 0) < 2_000, `message of ${error?.message.length} characters`);
    assert.match(error?.message ?? "", /and 49,990 more/);
    assert.ok(JSON.stringify(result.errors).length < 4_000);
  });

  it("never echoes InfluxDB's text: a partial write answers INTERNAL with a request id", async () => {
    const other = await newTenant(api, "Conflict Ltd");
    const otherFleet = await newFleet(api, other, { assets: 1 });
    // A field stored with another type behind the API's back makes InfluxDB refuse the float.
    await api.services.store.ensureDatabase(other.tenantId, 365);
    await api.services.store.write(other.tenantId, `turbofan,asset=engine_1 s1=5i ${msToNs(base)}`, "n");
    const res = await writeV2(api, otherFleet.deviceToken, turbofanLine("engine_1", 1, msToNs(base + 1000)));
    assert.equal(res.status, 500);
    assert.equal(res.headers.get("x-pdm-error-code"), "INTERNAL");
    assert.ok(typeof res.body.requestId === "string");
    const text = JSON.stringify(res.body);
    assert.doesNotMatch(text, /partial write|field type conflict|influx/i);
    assert.equal(await ledgerTotal(other.tenantId), 0);
  });

  it("answers 503 with Retry-After when Postgres is unreachable", async () => {
    const config = testConfig();
    const target = new URL(config.DATABASE_URL);
    const proxy = await startTcpProxy(target);
    const viaProxy = new URL(config.DATABASE_URL);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    const second = await startApi(testConfig({ DATABASE_URL: viaProxy.toString(), MQTT_BRIDGE: "off", LOG_LEVEL: "silent" }));
    try {
      assert.equal((await writeV2(second, fleet.deviceToken, runLine("a", 50))).status, 204);
      await proxy.close();
      for (const body of [runLine("a", 51), "not line protocol"]) {
        const res = await writeV2(second, fleet.deviceToken, body);
        assert.equal(res.status, 503);
        assert.ok(Number(res.headers.get("retry-after")) >= 1);
        assert.equal(res.body.code, "unavailable");
        assert.doesNotMatch(JSON.stringify(res.body), /ECONNREFUSED|127\.0\.0\.1|postgres/i);
      }
    } finally {
      await proxy.close().catch(() => undefined);
      await second.close();
    }
  });
});
