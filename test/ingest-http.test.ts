import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { InfluxDB, Point } from "@influxdata/influxdb-client";
import { connectDb, type Db } from "../src/db/client.js";
import * as ops from "./generated/graphql.js";
import { newPaidTenant } from "./support/billing.js";
import {
  type Api,
  addMember,
  codeOf,
  gqlOk,
  newFleet,
  newTenant,
  ownerUrl,
  startApi,
  type TestTenant,
  testConfig,
} from "./support/harness.js";
import { countPoints, msToNs, turbofanLine, writeV2 } from "./support/telemetry.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;

describe("HTTP ingest, InfluxDB-compatible", () => {
  let api: Api;
  let t: TestTenant;
  let fleet: Fleet;
  let owner: Db;
  const base = Date.now() - 3 * 86_400_000;

  before(async () => {
    api = await startApi(testConfig({ INGEST_MAX_BODY_BYTES: String(2 * 1024 * 1024) }));
    t = await newPaidTenant(api, "Ingest Ltd");
    fleet = await newFleet(api, t, { assets: 3 });
    owner = connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
  });
  after(async () => {
    await owner?.close();
    await api?.close();
  });

  async function ledgerTotal(tenantId: string): Promise<number> {
    const [row] = await owner.sql<{ n: string | null }[]>`
      select sum(quantity)::bigint as n from usage_ledger where tenant_id = ${tenantId} and meter = 'points_ingested'`;
    return Number(row?.n ?? 0);
  }

  it("answers an empty latest value, not an error, for a tenant that has written nothing yet", async () => {
    const fresh = await newTenant(api, "Nothing Written Ltd");
    const freshFleet = await newFleet(api, fresh, { assets: 1 });
    const assetId = freshFleet.assets[0]?.id ?? "";
    const { latestTelemetry } = await gqlOk(api, ops.LatestTelemetryDocument, { assetId, sensors: ["s1", "s2", "s3"] }, fresh.token);
    assert.deepEqual(latestTelemetry, []);
    const { latestTelemetry: all } = await gqlOk(api, ops.LatestTelemetryDocument, { assetId }, fresh.token);
    assert.deepEqual(all, []);
  });

  it("accepts the official InfluxDB 2.x client, and the points come back through GraphQL", async () => {
    const writeApi = new InfluxDB({ url: api.url, token: fleet.deviceToken }).getWriteApi("acme", "telemetry", "ms", { maxRetries: 0 });
    for (let cycle = 1; cycle <= 50; cycle++) {
      const point = new Point("turbofan").tag("asset", "engine_1").timestamp(new Date(base + cycle * 60_000));
      point
        .floatField("s1", 600 + cycle)
        .floatField("s2", 1)
        .floatField("setting3", 100);
      writeApi.writePoint(point);
    }
    await writeApi.close();
    const asset = fleet.assets[0]?.id ?? "";
    const from = new Date(base).toISOString();
    const to = new Date(base + 3_600_000).toISOString();
    const { telemetry } = await gqlOk(api, ops.TelemetryDocument, { assetId: asset, from, to, sensors: ["s1", "setting3"] }, t.token);
    assert.equal(telemetry.times.length, 50);
    assert.deepEqual(telemetry.sensors, ["s1", "setting3"]);
    assert.deepEqual([telemetry.values[0]?.[0], telemetry.values[1]?.[0]], [601, 100]);
    assert.equal(telemetry.values[0]?.length, 50);
    assert.equal(telemetry.times[49], new Date(base + 50 * 60_000).toISOString());
    const { telemetryAggregate } = await gqlOk(
      api,
      ops.TelemetryAggregateDocument,
      { assetId: asset, from, to, windowSeconds: 600, aggregate: "MEAN", sensors: ["s1"] },
      t.token,
    );
    // Cycles 1..50 at one minute each: the first ten-minute window (aligned to the epoch) holds
    // whatever cycles fall in it; the mean over all windows, weighted by count, is the overall mean.
    const counts = await gqlOk(
      api,
      ops.TelemetryAggregateDocument,
      { assetId: asset, from, to, windowSeconds: 600, aggregate: "COUNT", sensors: ["s1"] },
      t.token,
    );
    const countColumn = counts.telemetryAggregate.values[0] ?? [];
    const total = countColumn.reduce((sum: number, v) => sum + (v ?? 0), 0);
    assert.equal(total, 50);
    const weighted = (telemetryAggregate.values[0] ?? []).reduce((sum: number, v, i) => sum + (v ?? 0) * (countColumn[i] ?? 0), 0);
    assert.ok(Math.abs(weighted / 50 - 625.5) < 1e-9, `mean ${weighted / 50}`);
    const { latestTelemetry } = await gqlOk(api, ops.LatestTelemetryDocument, { assetId: asset, sensors: ["s1", "s2"] }, t.token);
    assert.deepEqual(
      latestTelemetry.map((v) => [v.sensor, v.value]),
      [
        ["s1", 650],
        ["s2", 1],
      ],
    );
  });

  it("accepts a plain v1 /write with u and p, gzip bodies, and precision", async () => {
    const lines = [1, 2, 3].map((c) => turbofanLine("engine_2", c, BigInt(Math.floor(base / 1000) + c), "turbofan")).join("\n");
    const res = await fetch(`${api.url}/write?db=anything&precision=s&u=gateway&p=${encodeURIComponent(fleet.deviceToken)}`, {
      method: "POST",
      body: lines,
    });
    assert.equal(res.status, 204);
    const gz = await writeV2(api, fleet.deviceToken, [4, 5].map((c) => turbofanLine("engine_2", c, msToNs(base + c * 1000))).join("\n"), {
      gzip: true,
    });
    assert.equal(gz.status, 204);
    const { telemetry } = await gqlOk(
      api,
      ops.TelemetryDocument,
      {
        assetId: fleet.assets[1]?.id ?? "",
        from: new Date(base).toISOString(),
        to: new Date(base + 3_600_000).toISOString(),
        sensors: ["s1"],
      },
      t.token,
    );
    assert.equal(telemetry.times.length, 5);
  });

  describe("refuses bad input with InfluxDB's statuses, and writes nothing of a refused batch", () => {
    const good = (cycle: number) => turbofanLine("engine_3", cycle, msToNs(base + cycle * 1000));
    const cases: {
      name: string;
      body: () => string | Buffer;
      status: number;
      message: RegExp;
      token?: () => string | undefined;
      gzip?: boolean;
    }[] = [
      { name: "bad escape", body: () => `${good(1)}\nturbofan,asset=engine_3 s1=1,s2\\ =2 x`, status: 400, message: /line 2/ },
      {
        name: "missing fields",
        body: () => `${good(1)}\n${good(2)}\nturbofan,asset=engine_3 ${msToNs(base)}`,
        status: 400,
        message: /line 3/,
      },
      { name: "a string value", body: () => `turbofan,asset=engine_3 s1="high" ${msToNs(base)}`, status: 400, message: /line 1:.*number/ },
      {
        name: "an integer for a float sensor",
        body: () => `turbofan,asset=engine_3 s1=12i ${msToNs(base)}`,
        status: 400,
        message: /line 1:.*floats.*not "12i"/,
      },
      {
        name: "a field that is no sensor",
        body: () => `turbofan,asset=engine_3 s99=1 ${msToNs(base)}`,
        status: 400,
        message: /line 1:.*s99/,
      },
      {
        name: "an unknown asset",
        body: () => `${good(1)}\nturbofan,asset=engine_404 s1=1 ${msToNs(base)}`,
        status: 400,
        message: /line 2: unknown asset "engine_404"/,
      },
      {
        name: "the wrong measurement",
        body: () => `pump,asset=engine_3 s1=1 ${msToNs(base)}`,
        status: 400,
        message: /line 1:.*measurement "turbofan"/,
      },
      {
        name: "a timestamp older than the retention",
        body: () => `turbofan,asset=engine_3 s1=1 ${msToNs(Date.now() - 400 * 86_400_000)}`,
        status: 400,
        message: /line 1:.*retention/,
      },
      {
        name: "a timestamp far in the future",
        body: () => `turbofan,asset=engine_3 s1=1 ${msToNs(Date.now() + 2 * 86_400_000)}`,
        status: 400,
        message: /line 1/,
      },
      { name: "an empty body", body: () => "\n\n", status: 400, message: /no points/ },
      {
        name: "a body over the limit (10 MB)",
        body: () => `${good(1)}\n`.repeat(Math.ceil((10 * 1024 * 1024) / good(1).length)),
        status: 413,
        message: /larger than/,
      },
      { name: "a gzip bomb", body: () => `${good(1)}\n`.repeat(20_000), gzip: true, status: 413, message: /uncompressed/ },
      { name: "invalid gzip", body: () => Buffer.from("not gzip at all"), gzip: false, status: 400, message: /gzip/ },
      { name: "no token", body: () => good(1), token: () => undefined, status: 401, message: /token/i },
      {
        name: "a forged token",
        body: () => good(1),
        token: () => `pdmd_${"a".repeat(12)}_${randomBytes(32).toString("base64url")}`,
        status: 401,
        message: /not valid/,
      },
    ];
    for (const c of cases) {
      it(`answers ${c.status} to ${c.name}`, async () => {
        const before = await countPoints(api, t.tenantId);
        const ledger = await ledgerTotal(t.tenantId);
        const body = c.body();
        let res: Awaited<ReturnType<typeof writeV2>>;
        if (c.name === "invalid gzip") {
          const raw = await fetch(`${api.url}/api/v2/write?org=o&bucket=b`, {
            method: "POST",
            headers: { authorization: `Token ${fleet.deviceToken}`, "content-encoding": "gzip" },
            body,
          });
          res = { status: raw.status, body: (await raw.json()) as Record<string, unknown>, headers: raw.headers };
        } else {
          res = await writeV2(api, c.token ? c.token() : fleet.deviceToken, body, { gzip: c.gzip ?? false });
        }
        assert.equal(res.status, c.status, JSON.stringify(res.body));
        assert.match(String(res.body.message), c.message);
        assert.equal(typeof res.body.code, "string", "InfluxDB's v2 error shape: code and message");
        assert.equal(await countPoints(api, t.tenantId), before, "nothing of the batch was written");
        assert.equal(await ledgerTotal(t.tenantId), ledger, "nothing was billed");
      });
    }

    it("names the first bad line of a mixed batch and writes none of its good lines", async () => {
      const before = await countPoints(api, t.tenantId);
      const body = [good(10), good(11), "turbofan,asset=engine_3 s1=1,s1=2", good(12), "garbage"].join("\n");
      const res = await writeV2(api, fleet.deviceToken, body);
      assert.equal(res.status, 400);
      assert.equal(res.body.line, 3);
      assert.match(String(res.body.message), /^line 3: /);
      assert.equal(await countPoints(api, t.tenantId), before);
    });

    it("answers 403 for an asset of the tenant that this device may not write for", async () => {
      const { createAsset } = await gqlOk(
        api,
        ops.CreateAssetDocument,
        { input: { assetTypeId: fleet.typeId, externalId: "engine_private", name: "Private" } },
        t.token,
      );
      assert.ok(createAsset.id);
      const res = await writeV2(api, fleet.deviceToken, `turbofan,asset=engine_private s1=1 ${msToNs(base)}`);
      assert.equal(res.status, 403);
      assert.match(String(res.body.message), /may not write for asset "engine_private"/);
    });

    it("refuses a revoked token at once", async () => {
      const { createDeviceToken } = await gqlOk(api, ops.CreateDeviceTokenDocument, { deviceId: fleet.deviceId }, t.token);
      assert.equal((await writeV2(api, createDeviceToken.secret, good(20))).status, 204);
      await gqlOk(api, ops.RevokeDeviceTokenDocument, { id: createDeviceToken.token.id }, t.token);
      const res = await writeV2(api, createDeviceToken.secret, good(21));
      assert.equal(res.status, 401);
      assert.match(String(res.body.message), /revoked/);
    });

    it("still answers after all of that", async () => {
      assert.equal((await fetch(`${api.url}/healthz`)).status, 200);
    });
  });

  it("keeps a device of tenant A out of tenant B, by any route", async () => {
    const other = await newTenant(api, "Other Ltd");
    const otherFleet = await newFleet(api, other, { assets: 1 });
    // B's asset carries the same external id as one of A's: A's device still writes only into A.
    const res = await writeV2(api, fleet.deviceToken, turbofanLine("engine_1", 999, msToNs(base + 999_000)));
    assert.equal(res.status, 204);
    assert.equal(await countPoints(api, other.tenantId), 0, "nothing reached tenant B's database");
    // An asset that exists only in tenant B is unknown to A's device: 400, nothing written anywhere.
    await gqlOk(
      api,
      ops.CreateAssetDocument,
      { input: { assetTypeId: otherFleet.typeId, externalId: "b_only", name: "B only" } },
      other.token,
    );
    const foreign = await writeV2(api, fleet.deviceToken, turbofanLine("b_only", 1, msToNs(base + 1_000)));
    assert.equal(foreign.status, 400);
    assert.match(String(foreign.body.message), /line 1: unknown asset "b_only"/);
    assert.equal(await countPoints(api, other.tenantId), 0);
    // A device token is no API credential: it cannot read anything through GraphQL.
    assert.equal(await codeOf(api, ops.TenantDocument, {}, fleet.deviceToken), "UNAUTHENTICATED");
    // A's API principals cannot read B's assets' telemetry.
    assert.equal(
      await codeOf(
        api,
        ops.TelemetryDocument,
        { assetId: otherFleet.assets[0]?.id ?? "", from: new Date(base).toISOString(), to: new Date().toISOString() },
        t.token,
      ),
      "NOT_FOUND",
    );
    const export_ = await fetch(
      `${api.url}/export/assets/${otherFleet.assets[0]?.id}.csv?from=${new Date(base).toISOString()}&to=${new Date().toISOString()}`,
      {
        headers: { authorization: `Bearer ${t.token}` },
      },
    );
    assert.equal(export_.status, 404);
  });

  it("bills exactly the points InfluxDB holds, and a resent batch once", async () => {
    const tenant = await newTenant(api, "Billing Check");
    const f = await newFleet(api, tenant, { assets: 2 });
    const batch = (from: number, n: number, asset: string) =>
      Array.from({ length: n }, (_, i) => turbofanLine(asset, from + i, msToNs(base + (from + i) * 1000))).join("\n");
    assert.equal((await writeV2(api, f.deviceToken, batch(0, 500, "engine_1"))).status, 204);
    assert.equal((await writeV2(api, f.deviceToken, batch(0, 500, "engine_1"))).status, 204, "a retry is accepted");
    assert.equal((await writeV2(api, f.deviceToken, `${batch(500, 10, "engine_2")}\nbroken line`)).status, 400);
    assert.equal((await writeV2(api, f.deviceToken, batch(1000, 250, "engine_2"), { gzip: true })).status, 204);
    const held = await countPoints(api, tenant.tenantId);
    assert.equal(held, 750);
    assert.equal(await ledgerTotal(tenant.tenantId), held);
    const { fleetOverview } = await gqlOk(api, ops.FleetOverviewDocument, {}, tenant.token);
    assert.deepEqual(
      fleetOverview.edges.map((e) => [e.node.externalId, e.node.pointsLastDay, e.node.lastSeenAt !== null]),
      [
        ["engine_1", 500, true],
        ["engine_2", 250, true],
      ],
    );
  });

  it("writes and bills parallel batches of one tenant that name the same assets in opposite orders", async () => {
    const tenant = await newTenant(api, "Parallel Ltd");
    const f = await newFleet(api, tenant, { assets: 3 });
    const names = ["engine_1", "engine_2", "engine_3"];
    // Batch k holds 40 lines per asset; odd batches list the assets in reverse, so their usage
    // rows would be locked in the opposite order if the ingest path did not fix one.
    const batch = (k: number) =>
      (k % 2 === 0 ? names : [...names].reverse())
        .flatMap((asset) => Array.from({ length: 40 }, (_, i) => turbofanLine(asset, i, msToNs(base + (k * 40 + i) * 1000 + 7))))
        .join("\n");
    const statuses = await Promise.all(Array.from({ length: 8 }, (_, k) => writeV2(api, f.deviceToken, batch(k)).then((r) => r.status)));
    assert.deepEqual(statuses, Array(8).fill(204));
    const held = await countPoints(api, tenant.tenantId);
    assert.equal(held, 8 * 3 * 40);
    assert.equal(await ledgerTotal(tenant.tenantId), held);
    const { fleetOverview } = await gqlOk(api, ops.FleetOverviewDocument, {}, tenant.token);
    assert.deepEqual(
      fleetOverview.edges.map((e) => [e.node.externalId, e.node.pointsLastDay]),
      names.map((n) => [n, 8 * 40]),
    );
  });

  it("answers 429 with the limit and the reset time once the daily quota would be exceeded", async () => {
    const tenant = await newTenant(api, "Quota Ltd");
    const f = await newFleet(api, tenant, { assets: 1 });
    await owner.sql`update tenants set daily_point_quota = 100 where id = ${tenant.tenantId}`;
    api.services.scopes.clear();
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => turbofanLine("engine_1", from + i, msToNs(base + (from + i) * 1000))).join("\n");
    assert.equal((await writeV2(api, f.deviceToken, batch(0, 80))).status, 204);
    const over = await writeV2(api, f.deviceToken, batch(80, 30));
    assert.equal(over.status, 429);
    assert.equal(over.body.code, "too many requests");
    assert.equal(over.body.limit, 100);
    assert.equal(over.body.used, 80);
    assert.match(String(over.body.resetsAt), /T00:00:00.000Z$/);
    assert.ok(Number(over.headers.get("retry-after")) > 0);
    assert.equal(await countPoints(api, tenant.tenantId), 80, "the refused batch was not written");
    assert.equal((await writeV2(api, f.deviceToken, batch(80, 20))).status, 204, "what still fits is accepted");
    await owner.sql`update tenants set daily_point_quota = null where id = ${tenant.tenantId}`;
    api.services.scopes.clear();
    assert.equal((await writeV2(api, f.deviceToken, batch(100, 30))).status, 204);
  });

  it("holds a quota under parallel batches, and refuses reserved sensor names", async () => {
    const tenant = await newTenant(api, "Parallel Quota");
    const f = await newFleet(api, tenant, { assets: 1 });
    await owner.sql`update tenants set daily_point_quota = 100 where id = ${tenant.tenantId}`;
    api.services.scopes.clear();
    const batch = (k: number) =>
      Array.from({ length: 40 }, (_, i) => turbofanLine("engine_1", k * 100 + i, msToNs(base + (k * 100 + i) * 1000))).join("\n");
    const statuses = await Promise.all([0, 1, 2, 3, 4].map((k) => writeV2(api, f.deviceToken, batch(k)).then((r) => r.status)));
    assert.deepEqual([...statuses].sort(), [204, 204, 429, 429, 429], `statuses ${statuses.join(",")}`);
    assert.equal(await countPoints(api, tenant.tenantId), 80);
    assert.equal(await ledgerTotal(tenant.tenantId), 80);
    for (const key of ["asset", "time"]) {
      assert.equal(
        await codeOf(api, ops.AddSensorsDocument, { assetTypeId: f.typeId, sensors: [{ key }] }, tenant.token),
        "VALIDATION",
        `sensor key ${key}`,
      );
    }
    const empty = await fetch(`${api.url}/export/assets/${f.assets[0]?.id}.csv?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`, {
      headers: { authorization: `Bearer ${tenant.token}` },
    });
    assert.equal(empty.status, 200);
    assert.equal((await empty.text()).trim().split("\n").length, 1, "a header and no rows");
    const outOfRange = await codeOf(
      api,
      ops.TelemetryDocument,
      { assetId: f.assets[0]?.id ?? "", from: "1500-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z" },
      tenant.token,
    );
    assert.equal(outOfRange, "VALIDATION");
  });

  it("streams an asset's points as CSV", async () => {
    const res = await fetch(
      `${api.url}/export/assets/${fleet.assets[1]?.id}.csv?from=${new Date(base).toISOString()}&to=${new Date(base + 3_600_000).toISOString()}&sensors=s1,s21`,
      { headers: { authorization: `Bearer ${t.token}` } },
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/csv/);
    const lines = (await res.text()).trim().split("\n");
    assert.equal(lines[0], "time,s1,s21");
    assert.equal(lines.length, 6);
    assert.match(lines[1] ?? "", /^\d{4}-\d\d-\d\dT[\d:.]+Z,501\.\d+,521\.\d+$/);
  });

  it("answers VALIDATION with the limit when a query would return too much", async () => {
    const res = await codeOf(
      api,
      ops.TelemetryAggregateDocument,
      { assetId: fleet.assets[0]?.id ?? "", from: "2025-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", windowSeconds: 1, aggregate: "MEAN" },
      t.token,
    );
    assert.equal(res, "VALIDATION");
  });

  it("lets a viewer read telemetry but not manage devices", async () => {
    const viewer = await addMember(api, t, "VIEWER");
    assert.equal(await codeOf(api, ops.CreateDeviceTokenDocument, { deviceId: fleet.deviceId }, viewer.token), "FORBIDDEN");
    assert.equal(await codeOf(api, ops.LatestTelemetryDocument, { assetId: fleet.assets[0]?.id ?? "" }, viewer.token), "OK");
  });

  it("answers 503 with Retry-After, and bills nothing, when InfluxDB is down", async () => {
    const down = await startApi(testConfig({ INFLUX_URL: "http://127.0.0.1:9", MQTT_BRIDGE: "off", LOG_LEVEL: "silent" }));
    try {
      const ledger = await ledgerTotal(t.tenantId);
      const res = await writeV2(down, fleet.deviceToken, turbofanLine("engine_1", 5000, msToNs(base + 5_000_000)));
      assert.equal(res.status, 503);
      assert.ok(Number(res.headers.get("retry-after")) >= 1);
      assert.equal(res.body.code, "unavailable");
      assert.equal(await ledgerTotal(t.tenantId), ledger);
    } finally {
      await down.close();
    }
  });
});
