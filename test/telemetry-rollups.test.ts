import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { createLogger } from "../src/core/logger.js";
import { connectDb, withTenant } from "../src/db/client.js";
import { ident, str, timeNs } from "../src/telemetry/influx/influxql.js";
import { startRollupLoop } from "../src/telemetry/rollup-loop.js";
import { dirtyHoursBetween, HOUR_MS, hourRanges, hoursIn, hoursLeft, markDirtyHours } from "../src/telemetry/rollup-marks.js";
import { planSpans } from "../src/telemetry/rollup-read.js";
import { recomputeRollups, takeHours } from "../src/telemetry/rollup-step.js";
import * as ops from "./generated/graphql.js";
import { type Api, codeOf, gqlOk, newFleet, newTenant, startApi, type TestTenant, testConfig } from "./support/harness.js";
import { influxQuery } from "./support/influx.js";
import { writeV2 } from "./support/telemetry.js";

type Fleet = Awaited<ReturnType<typeof newFleet>>;

const DAY_MS = 86_400_000;
const SENSORS = ["a", "b", "c"];
const AGGREGATES: readonly ops.Aggregate[] = ["MEAN", "MIN", "MAX", "COUNT"];
const WINDOWS = [3_600, 21_600, 86_400];
/**
 * Means from rollups are Σsum / Σcount of the hours, InfluxDB's are one running sum over the
 * points: the same numbers added in another order, so they may differ in the last bits. Every
 * other value (min, max, count, times) must be equal; means within 1e-9 relative.
 */
const RELATIVE = 1e-9;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Table {
  readonly times: readonly number[];
  readonly values: readonly (readonly (number | null)[])[];
}

describe("telemetry rollups", () => {
  let api: Api;
  let t: TestTenant;
  let fleet: Fleet;
  /** Five days of data ending at the last whole hour before now. */
  const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const start = end - 5 * DAY_MS;
  const externalId = "engine_1";

  before(async () => {
    // No timer: the test runs the step itself (another process's API may still run it, which changes no answer).
    api = await startApi(testConfig({ TELEMETRY_ROLLUP_INTERVAL_SECONDS: "0" }));
    t = await newTenant(api, "Rollups Ltd");
    fleet = await newFleet(api, t, { typeKey: "pump", sensors: SENSORS, assets: 2 });
    const next = random(20_261_206);
    const lines: string[] = [];
    for (const asset of ["engine_1", "engine_2"]) {
      for (let hour = start; hour < end; hour += HOUR_MS) {
        if (next() < 0.2) continue; // a gap: an hour without points
        for (let at = hour + Math.floor(next() * 300_000); at < hour + HOUR_MS; at += 120_000 + Math.floor(next() * 300_000)) {
          const fields = SENSORS.filter(() => next() < 0.8).map(
            (s) => `${s}=${((next() - 0.3) * 10 ** Math.floor(next() * 4)).toFixed(4)}`,
          );
          if (fields.length > 0) lines.push(`pump,asset=${asset} ${fields.join(",")} ${at}`);
        }
      }
    }
    for (let i = 0; i < lines.length; i += 2_000) {
      const res = await writeV2(api, fleet.deviceToken, lines.slice(i, i + 2_000).join("\n"), { precision: "ms" });
      assert.equal(res.status, 204, JSON.stringify(res.body));
    }
  });
  after(async () => {
    await api?.close();
  });

  const assetId = () => fleet.assets[0]?.id ?? "";
  /** The step with time enough to finish (its budget is wall time, and test machines are shared). */
  const rollUp = () => recomputeRollups(api.services, { budgetMs: 600_000 });

  async function answer(from: number, to: number, windowSeconds: number, aggregate: ops.Aggregate, token = t.token): Promise<Table> {
    const { telemetryAggregate } = await gqlOk(
      api,
      ops.TelemetryAggregateDocument,
      {
        assetId: assetId(),
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        windowSeconds,
        aggregate,
        sensors: SENSORS,
      },
      token,
    );
    return {
      times: telemetryAggregate.times.map((x) => new Date(String(x)).getTime()),
      values: telemetryAggregate.values.map((v) => v ?? []),
    };
  }

  /** The oracle: the raw question straight to InfluxDB. */
  async function raw(from: number, to: number, windowSeconds: number, aggregate: ops.Aggregate): Promise<Table> {
    const fn = aggregate.toLowerCase();
    const q = `SELECT ${SENSORS.map((s) => `${fn}(${ident(s)}) AS ${ident(s)}`).join(", ")} FROM "pump" WHERE "asset"::tag = ${str(externalId)} AND time >= ${timeNs(new Date(from))} AND time < ${timeNs(new Date(to))} GROUP BY time(${windowSeconds}s) fill(none)`;
    const [series = []] = await influxQuery(api, t.tenantId, q);
    const rows = series.flatMap((s) => s.values);
    const column = (s: string) => series[0]?.columns.indexOf(s) ?? -1;
    return {
      times: rows.map((r) => Number(r[0])),
      values: SENSORS.map((s) => rows.map((r) => (typeof r[column(s)] === "number" ? (r[column(s)] as number) : null))),
    };
  }

  function assertSame(got: Table, want: Table, what: string): void {
    assert.deepEqual(got.times, want.times, `${what}: window times`);
    want.values.forEach((column, s) => {
      column.forEach((w, i) => {
        const g = got.values[s]?.[i] ?? null;
        if (w === null || g === null) assert.equal(g, w, `${what}: sensor ${SENSORS[s]} at ${new Date(want.times[i] ?? 0).toISOString()}`);
        else assert.ok(Math.abs(g - w) <= RELATIVE * Math.max(Math.abs(w), 1e-300), `${what}: ${g} vs ${w}`);
      });
    });
  }

  /** Ranges with both edges inside an hour, and on whole hours. */
  const ranges = (): [number, number][] => [
    [start - 1_234_567, end + 2_345_678],
    [start + 7 * HOUR_MS, end - 3 * HOUR_MS],
    [start + 17 * 60_000, start + 2 * DAY_MS + 41 * 60_000],
  ];

  async function assertAllExact(what: string): Promise<void> {
    for (const [from, to] of ranges()) {
      for (const w of WINDOWS) {
        for (const aggregate of AGGREGATES) {
          assertSame(await answer(from, to, w, aggregate), await raw(from, to, w, aggregate), `${what}, ${aggregate} per ${w} s`);
        }
      }
    }
  }

  /** Stale rows whose hours have settled (the step leaves the others until they have). */
  const dirtyRows = async (tenantId: string, asTenant = tenantId): Promise<number> => {
    const rows = await withTenant(api.services.db.db, { tenantId: asTenant }, (tx) =>
      tx.execute<{ n: number }>(
        sql`select count(*)::int as n from telemetry_dirty_hours where tenant_id = ${tenantId} and last_hour < now() - interval '65 minutes'`,
      ),
    );
    return [...rows][0]?.n ?? -1;
  };

  const rollupRows = async (): Promise<string> =>
    JSON.stringify(await influxQuery(api, t.tenantId, `SELECT * FROM "pump:1h" WHERE "asset" = 'engine_1'`));

  it("answers exactly what the raw points answer while every hour is stale, and after the step rolled them up", async () => {
    assert.ok((await dirtyRows(t.tenantId)) > 0, "ingest recorded the hours it touched");
    await assertAllExact("stale");
    await rollUp();
    assert.equal(await dirtyRows(t.tenantId), 0);
    assert.ok((await rollupRows()).includes("count_a"), "the rollups exist");
    await assertAllExact("rolled up");
  });

  it("reads rolled-up hours from the rollups, and a late point's hour raw until it is recomputed", async () => {
    await rollUp();
    const hour = start + 30 * HOUR_MS;
    const [from, to] = [start, end];
    // A point that bypasses ingest reaches the raw data only: the rolled-up answer does not see it.
    await api.services.store.write(t.tenantId, `pump,asset=${externalId} a=1000000 ${hour + 1_000}`, "ms");
    const rolled = await answer(from, to, 3_600, "MAX");
    const truth = await raw(from, to, 3_600, "MAX");
    const i = truth.times.indexOf(hour);
    assert.equal(truth.values[0]?.[i], 1_000_000);
    assert.notEqual(rolled.values[0]?.[rolled.times.indexOf(hour)], 1_000_000, "the clean hour came from its rollup");
    // A late point through ingest into that hour: the hour is stale, read raw (both points), exact.
    const late = await writeV2(api, fleet.deviceToken, `pump,asset=${externalId} a=-5000000 ${hour + 2_000}`, { precision: "ms" });
    assert.equal(late.status, 204);
    for (const aggregate of AGGREGATES)
      assertSame(await answer(from, to, 3_600, aggregate), await raw(from, to, 3_600, aggregate), `late ${aggregate}`);
    const minBefore = await answer(from, to, 21_600, "MIN");
    assert.ok(minBefore.values[0]?.includes(-5_000_000), "the late point counts at once");
    await rollUp();
    assert.equal(await dirtyRows(t.tenantId), 0);
    const after = await answer(from, to, 3_600, "MAX");
    assert.equal(after.values[0]?.[after.times.indexOf(hour)], 1_000_000, "recomputed from every raw point of the hour");
    await assertAllExact("after a late point");
  });

  it("takes in a historic import into hours that had no points", async () => {
    await rollUp();
    const before = await raw(start, end, 3_600, "COUNT");
    const empty = [];
    for (let h = start; h < end && empty.length < 3; h += HOUR_MS) if (!before.times.includes(h)) empty.push(h);
    assert.ok(empty.length > 0, "the data has gaps");
    const lines = empty.flatMap((h) => [0, 1, 2].map((k) => `pump,asset=${externalId} a=${k + 0.5},b=${k * 3} ${h + k * 600_000}`));
    assert.equal((await writeV2(api, fleet.deviceToken, lines.join("\n"), { precision: "ms" })).status, 204);
    const stale = await dirtyHoursBetween(api.services.db, {
      tenantId: t.tenantId,
      measurement: "pump",
      from: new Date(start),
      to: new Date(end),
    });
    assert.deepEqual(
      stale.flatMap((r) => Array.from({ length: r.last - r.first + 1 }, (_, k) => (r.first + k) * HOUR_MS)),
      empty,
    );
    await assertAllExact("imported, stale");
    await rollUp();
    const count = await answer(start, end, 3_600, "COUNT");
    for (const h of empty) assert.equal(count.values[0]?.[count.times.indexOf(h)], 3);
    await assertAllExact("imported, rolled up");
  });

  it("recomputes idempotently, and two steps at once leave the same rollups and no stale hour", async () => {
    await rollUp();
    const rolled = await rollupRows();
    await withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
      markDirtyHours(tx, t.tenantId, [{ measurement: "pump", first: start / HOUR_MS, last: end / HOUR_MS - 1 }]),
    );
    const runs = await Promise.all([rollUp(), rollUp()]);
    // This tenant's work; other tests' tenants in the same database may have their own (slow) hours.
    for (const run of runs)
      assert.deepEqual(
        run.failures.filter((f) => f.tenantId === t.tenantId),
        [],
      );
    assert.equal(await dirtyRows(t.tenantId), 0);
    assert.equal(await rollupRows(), rolled);
    await assertAllExact("after two steps at once");
  });

  it("recomputes a long backfill a bounded slice at a time, keeping what each run did", async () => {
    await rollUp();
    const rolled = await rollupRows();
    const [first, last] = [start / HOUR_MS, end / HOUR_MS - 1];
    const stale = () =>
      dirtyHoursBetween(api.services.db, { tenantId: t.tenantId, measurement: "pump", from: new Date(start), to: new Date(end) });
    await withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
      markDirtyHours(tx, t.tenantId, [{ measurement: "pump", first, last }]),
    );
    const calls: number[] = [];
    const store = {
      recomputeRollups: (tenantId: string, work: Parameters<typeof api.services.store.recomputeRollups>[1]) => {
        if (tenantId === t.tenantId) calls.push(hoursIn(work.hours));
        return api.services.store.recomputeRollups(tenantId, work);
      },
    };
    const run = await recomputeRollups(
      { db: api.services.db, store },
      { hoursPerCall: 24, maxHoursPerCall: 24, callsPerMeasurement: 2, budgetMs: 600_000 },
    );
    assert.deepEqual(calls, [24, 24], "two calls of a day each");
    assert.ok(run.hours >= 48);
    assert.deepEqual(await stale(), [{ first: first + 48, last }], "the two days done are no longer stale");
    await assertAllExact("part way through a backfill");
    await rollUp();
    assert.deepEqual(await stale(), []);
    assert.equal(await rollupRows(), rolled);
  });

  it("splits a call that fails down to the hour that fails, leaves that hour stale and rolls up the others", async () => {
    await rollUp();
    const [first, last] = [start / HOUR_MS, end / HOUR_MS - 1];
    await withTenant(api.services.db.db, { tenantId: t.tenantId }, (tx) =>
      markDirtyHours(tx, t.tenantId, [{ measurement: "pump", first, last }]),
    );
    // Every call holding one hour fails (too dense for the store, say).
    const bad = first + 50;
    let holding: number[] = [];
    const store = {
      recomputeRollups: (tenantId: string, work: Parameters<typeof api.services.store.recomputeRollups>[1]) => {
        if (tenantId === t.tenantId && work.hours.some((r) => r.first <= bad && bad <= r.last)) {
          holding.push(hoursIn(work.hours));
          return Promise.reject(new Error("InfluxDB timed out"));
        }
        return api.services.store.recomputeRollups(tenantId, work);
      },
    };
    const stale = () =>
      dirtyHoursBetween(api.services.db, { tenantId: t.tenantId, measurement: "pump", from: new Date(start), to: new Date(end) });
    const sizes = new Map<string, number>();
    const options = { hoursPerCall: 24, maxHoursPerCall: 24, budgetMs: 600_000, sizes };
    const run = await recomputeRollups({ db: api.services.db, store }, options);
    assert.deepEqual(holding, [24, 12, 6, 3, 2, 1], "the calls holding the failing hour, halved down to it");
    assert.deepEqual(
      run.failures.filter((f) => f.tenantId === t.tenantId).map((f) => String(f.error)),
      ["Error: InfluxDB timed out"],
    );
    assert.deepEqual(await stale(), [{ first: bad, last: bad }], "every other hour was rolled up");
    await assertAllExact("with one hour failing");
    // The next run starts with the calls this one ended with: the failing hour alone.
    holding = [];
    await recomputeRollups({ db: api.services.db, store }, options);
    assert.deepEqual(holding, [1]);
    assert.deepEqual(await stale(), [{ first: bad, last: bad }]);
    await rollUp();
    assert.deepEqual(await stale(), []);
  });

  it("leaves hours that still take points stale (read raw) until they settled", async () => {
    await rollUp();
    const now = Date.now();
    assert.equal((await writeV2(api, fleet.deviceToken, `pump,asset=${externalId} a=7,b=8,c=9`)).status, 204);
    await rollUp();
    const stale = await dirtyHoursBetween(api.services.db, {
      tenantId: t.tenantId,
      measurement: "pump",
      from: new Date(now - HOUR_MS),
      to: new Date(now + HOUR_MS),
    });
    assert.ok(
      stale.some((r) => r.first * HOUR_MS <= now && now < (r.last + 1) * HOUR_MS),
      "the current hour is still stale",
    );
    const from = start;
    const to = Math.ceil((now + 60_000) / HOUR_MS) * HOUR_MS;
    for (const aggregate of AGGREGATES) {
      assertSame(await answer(from, to, 3_600, aggregate), await raw(from, to, 3_600, aggregate), `unsettled ${aggregate}`);
    }
  });

  it("runs the step from the API's loop, on a lock connection of its own (two copies at once)", async () => {
    const late = await writeV2(api, fleet.deviceToken, `pump,asset=${externalId} a=3 ${start + 5 * HOUR_MS + 9_000}`, { precision: "ms" });
    assert.equal(late.status, 204);
    assert.ok((await dirtyRows(t.tenantId)) > 0);
    // A second copy's loop: its own single lock connection; the step's work uses the shared pool.
    const lockDb = connectDb(testConfig().DATABASE_URL, { max: 1, applicationName: "pdm-test-rollups" });
    const other = startRollupLoop(
      { db: api.services.db, store: api.services.store },
      { intervalMs: 0, log: createLogger(testConfig()), lockDb },
    );
    try {
      const turns = await Promise.all([api.services.rollups.runOnce(), other.runOnce()]);
      assert.ok(turns.includes(true), "a copy took the turn");
      if (!turns.every((x) => x)) assert.equal(await api.services.rollups.runOnce(), true);
    } finally {
      await other.close();
      await lockDb.close();
    }
    assert.equal(await dirtyRows(t.tenantId), 0);
    await assertAllExact("after the loop's turn");
  });

  it("keeps the stale hours of a tenant from every other tenant", async () => {
    const other = await newTenant(api, "Other Rollups Ltd");
    await writeV2(api, fleet.deviceToken, `pump,asset=${externalId} a=1 ${start + HOUR_MS}`, { precision: "ms" });
    assert.ok((await dirtyRows(t.tenantId)) > 0);
    assert.equal(await dirtyRows(t.tenantId, other.tenantId), 0, "another tenant's transaction sees none of them");
    const seen = await dirtyHoursBetween(api.services.db, {
      tenantId: other.tenantId,
      measurement: "pump",
      from: new Date(start),
      to: new Date(end),
    });
    assert.deepEqual(seen, []);
    await assert.rejects(
      withTenant(api.services.db.db, { tenantId: other.tenantId }, (tx) =>
        markDirtyHours(tx, t.tenantId, [{ measurement: "pump", first: 0, last: 0 }]),
      ),
      (error: unknown) => error instanceof Error && /row-level security/.test(String(error.cause)),
    );
    const code = await codeOf(
      api,
      ops.TelemetryAggregateDocument,
      {
        assetId: assetId(),
        from: new Date(start).toISOString(),
        to: new Date(end).toISOString(),
        windowSeconds: 3_600,
        aggregate: "MEAN",
      },
      other.token,
    );
    assert.equal(code, "NOT_FOUND");
  });

  it("keeps the rollups in the raw data's retention policy, and drops them with the tenant's data", async () => {
    // The rollups are points of the policy that holds the raw points ("autogen", whose duration
    // applyRetention sets): their shards expire with the raw points of the same hours.
    const [inPolicy] = await influxQuery(api, t.tenantId, `SELECT count("count_a") FROM "autogen"."pump:1h"`);
    assert.ok(Number(inPolicy?.[0]?.values[0]?.[1]) > 0);
    await api.services.store.dropTenant(t.tenantId);
    const [gone = []] = await influxQuery(api, t.tenantId, `SELECT count("count_a") FROM "pump:1h"`);
    assert.deepEqual(gone, []);
  });
});

describe("telemetry rollups: planning", () => {
  it("takes stale hours a slice of at most so many at a time, in time order, each hour once", () => {
    const slices: { first: number; last: number }[][] = [];
    let left = [
      { first: 0, last: 9 },
      { first: 20, last: 20 },
      { first: 30, last: 61 },
    ];
    while (left.length > 0) {
      const { slice, rest } = takeHours(left, 12);
      slices.push(slice);
      left = rest;
    }
    assert.deepEqual(slices, [
      [
        { first: 0, last: 9 },
        { first: 20, last: 20 },
        { first: 30, last: 30 },
      ],
      [{ first: 31, last: 42 }],
      [{ first: 43, last: 54 }],
      [{ first: 55, last: 61 }],
    ]);
    assert.deepEqual(takeHours([{ first: 5, last: 5 }], 0), { slice: [{ first: 5, last: 5 }], rest: [] }, "at least an hour");
    assert.deepEqual(takeHours([], 12), { slice: [], rest: [] });
  });

  it("tells the hours of a range left outside the hours done", () => {
    const done = [
      { first: 0, last: 5 },
      { first: 8, last: 12 },
      { first: 15, last: 16 },
      { first: 30, last: 40 },
    ];
    assert.deepEqual(hoursLeft({ first: 10, last: 20 }, done), [
      { first: 13, last: 14 },
      { first: 17, last: 20 },
    ]);
    assert.deepEqual(hoursLeft({ first: 8, last: 12 }, done), []);
    assert.deepEqual(hoursLeft({ first: 20, last: 25 }, done), [{ first: 20, last: 25 }]);
    assert.deepEqual(hoursLeft({ first: 3, last: 9 }, done), [{ first: 6, last: 7 }]);
  });

  it("joins a batch's hours into at most a few ranges, over the smallest gaps", () => {
    const everyOther = Array.from({ length: 8_760 }, (_, k) => 2 * k);
    const joined = hourRanges(everyOther);
    assert.equal(joined.length, 16);
    assert.equal(joined[0]?.first, 0);
    assert.equal(joined[15]?.last, 2 * 8_759);
    assert.ok(
      everyOther.every((h) => joined.some((r) => r.first <= h && h <= r.last)),
      "every hour stays covered",
    );
    assert.deepEqual(hourRanges([5, 3, 4, 9, 10, 20]), [
      { first: 3, last: 5 },
      { first: 9, last: 10 },
      { first: 20, last: 20 },
    ]);
    assert.deepEqual(hourRanges([1, 3, 10, 12, 30], 2), [
      { first: 1, last: 12 },
      { first: 30, last: 30 },
    ]);
  });

  it("reads rollups for whole clean hours only: a window cut inside an hour or holding a stale hour is read raw", () => {
    const H = HOUR_MS;
    const spans = planSpans(10 * H + 60_000, 30 * H, 6 * H, [{ first: 19, last: 19 }]);
    assert.deepEqual(spans, [
      { from: 10 * H + 60_000, to: 12 * H, rollup: false },
      { from: 12 * H, to: 18 * H, rollup: true },
      { from: 18 * H, to: 24 * H, rollup: false },
      { from: 24 * H, to: 30 * H, rollup: true },
    ]);
  });
});
