import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newId } from "../../src/core/ids.js";
import { StoreRefusedError, StoreUnavailableError, type StreamChunk, type TelemetryStore } from "../../src/telemetry/index.js";

/** What the contract needs of an implementation: a store, and one that cannot reach its backend. */
export interface StoreUnderTest {
  readonly store: TelemetryStore;
  /** The same implementation pointed at a backend that does not answer. */
  readonly unreachable: TelemetryStore;
  close(): Promise<void>;
}

const HOUR = 3_600_000;
/** Two hours back from a whole hour, so the points lie inside any retention. */
const T0 = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
const at = (minutes: number) => T0 + minutes * 60_000;

const collect = async (chunks: AsyncIterable<StreamChunk>) => {
  const out: { asset: string; time: number; values: unknown[] }[] = [];
  let count = 0;
  for await (const c of chunks) {
    count++;
    c.times.forEach((time, i) => {
      out.push({ asset: c.asset, time, values: c.values.map((column) => column[i]) });
    });
  }
  return { rows: out, chunks: count };
};

/**
 * The behaviour every TelemetryStore keeps, run against a real backend: a second implementation
 * passes this suite. Each run uses tenants of its own.
 */
export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    let sut: StoreUnderTest;
    let store: TelemetryStore;
    const a = newId("tenant");
    const b = newId("tenant");
    const empty = newId("tenant");

    before(async () => {
      sut = await open();
      store = sut.store;
      for (const tenant of [a, b]) await store.ensureDatabase(tenant, 30);
      // Tenant A: pump p1 at minutes 0, 10, 20, 70 (s2 only from minute 10, flag a boolean), p2 at minute 5.
      const lines = [
        `pump,asset=p1 s1=1,flag=true ${at(0)}`,
        `pump,asset=p1 s1=3,s2=30,flag=false ${at(10)}`,
        `pump,asset=p1 s1=5,s2=50 ${at(20)}`,
        `pump,asset=p1 s1=7,s2=70 ${at(70)}`,
        `pump,asset=p2 s1=100,s2=1000 ${at(5)}`,
      ].join("\n");
      await store.write(a, lines, "ms");
      // Tenant B: the same measurement and asset, other values.
      await store.write(b, `pump,asset=p1 s1=-1,s2=-1 ${at(0)}\npump,asset=p1 s1=-2,s2=-2 ${at(90)}`, "ms");
    });

    after(async () => {
      for (const tenant of [a, b, empty]) await store.dropTenant(tenant).catch(() => undefined);
      await sut.close();
    });

    it("reads a series' raw points in a range, in the order asked, at most the limit, null where a field has no value", async () => {
      const q = { measurement: "pump", asset: "p1", fields: ["s1", "s2"], from: new Date(at(0)), to: new Date(at(70)) };
      assert.deepEqual(await store.range(a, { ...q, order: "asc" }), {
        times: [at(0), at(10), at(20)],
        values: [
          [1, 3, 5],
          [null, 30, 50],
        ],
      });
      assert.deepEqual(await store.range(a, { ...q, order: "desc", limit: 2 }), {
        times: [at(20), at(10)],
        values: [
          [5, 3],
          [50, 30],
        ],
      });
      const flags = await store.range(a, { ...q, fields: ["flag"], order: "asc" });
      assert.deepEqual(flags, { times: [at(0), at(10)], values: [[true, false]] }, "a row without any of the fields asked is no row");
    });

    it("aggregates windows aligned on the epoch, with no row for a window without points", async () => {
      const q = { measurement: "pump", asset: "p1", fields: ["s1", "s2"], windowSeconds: 1800 };
      const spans = [{ from: at(0), to: at(120), source: "raw" as const }];
      assert.deepEqual(await store.windows(a, { ...q, aggregate: "mean", spans }), {
        times: [at(0), at(60)],
        values: [
          [3, 7],
          [40, 70],
        ],
      });
      assert.deepEqual((await store.windows(a, { ...q, aggregate: "count", spans })).values, [
        [3, 1],
        [2, 1],
      ]);
      const last = await store.windows(a, { ...q, fields: ["flag"], aggregate: "last", spans });
      assert.deepEqual(last, { times: [at(0)], values: [[0]] }, "booleans read as 1 and 0");
    });

    it("answers windows from the hourly rollups as the raw points answer them, spans joined in time order", async () => {
      await store.recomputeRollups(a, { measurement: "pump", fields: ["s1", "s2"], hours: [{ first: T0 / HOUR, last: T0 / HOUR + 1 }] });
      const q = { measurement: "pump", asset: "p1", fields: ["s1", "s2"], windowSeconds: 3600 };
      for (const aggregate of ["mean", "min", "max", "count"] as const) {
        const raw = await store.windows(a, { ...q, aggregate, spans: [{ from: at(0), to: at(120), source: "raw" }] });
        const rolled = await store.windows(a, { ...q, aggregate, spans: [{ from: at(0), to: at(120), source: "rollup" }] });
        const mixed = await store.windows(a, {
          ...q,
          aggregate,
          spans: [
            { from: at(0), to: at(60), source: "rollup" },
            { from: at(60), to: at(120), source: "raw" },
          ],
        });
        assert.deepEqual(rolled, raw, aggregate);
        assert.deepEqual(mixed, raw, aggregate);
      }
    });

    it("answers the latest point of each field with its own time, none where a field has no point", async () => {
      assert.deepEqual(await store.latest(a, { measurement: "pump", asset: "p1", fields: ["s2", "flag", "s9"] }), [
        { time: at(70), value: 70 },
        { time: at(10), value: false },
        undefined,
      ]);
    });

    it("streams the asked assets' points in time order, in chunks, within the range", async () => {
      const q = { measurement: "pump", fields: ["s1"], from: new Date(at(0)), to: new Date(at(70)), chunkRows: 2 };
      const one = await collect(store.stream(a, { ...q, assets: ["p1"] }));
      assert.deepEqual(
        one.rows.map((r) => [r.asset, r.time, r.values[0]]),
        [
          ["p1", at(0), 1],
          ["p1", at(10), 3],
          ["p1", at(20), 5],
        ],
      );
      assert.ok(one.chunks >= 2, "three rows in chunks of two");
      const both = await collect(store.stream(a, { ...q, from: undefined, to: undefined, assets: ["p1", "p2"] }));
      assert.deepEqual(
        both.rows.map((r) => `${r.asset}@${r.time}`).sort(),
        [`p1@${at(0)}`, `p1@${at(10)}`, `p1@${at(20)}`, `p1@${at(70)}`, `p2@${at(5)}`].sort(),
      );
      // Many assets named: still only those.
      const many = Array.from({ length: 250 }, (_, i) => `x${i}`).concat("p2");
      const named = await collect(store.stream(a, { ...q, assets: many }));
      assert.deepEqual(
        named.rows.map((r) => [r.asset, r.values[0]]),
        [["p2", 100]],
      );
      assert.deepEqual((await collect(store.stream(a, { ...q, assets: [] }))).rows, []);
    });

    it("keeps tenants apart: one tenant's calls never see another's points, and dropping one leaves the other", async () => {
      const range = {
        measurement: "pump",
        asset: "p1",
        fields: ["s1"],
        from: new Date(at(0)),
        to: new Date(at(120)),
        order: "asc" as const,
      };
      assert.deepEqual((await store.range(b, range)).values, [[-1, -2]]);
      assert.deepEqual(await store.latest(b, { measurement: "pump", asset: "p2", fields: ["s1"] }), [undefined]);
      const streamed = await collect(store.stream(b, { measurement: "pump", fields: ["s1"], assets: ["p1", "p2"], chunkRows: 100 }));
      assert.deepEqual(
        streamed.rows.map((r) => r.values[0]),
        [-1, -2],
      );
      // A tenant that never wrote has nothing, and that is no failure.
      assert.deepEqual(await store.range(empty, range), { times: [], values: [[]] });
      assert.deepEqual(await store.latest(empty, { measurement: "pump", asset: "p1", fields: ["s1", "s2"] }), [undefined, undefined]);
      assert.deepEqual(
        (await collect(store.stream(empty, { measurement: "pump", fields: ["s1"], assets: ["p1"], chunkRows: 10 }))).rows,
        [],
      );

      await store.dropTenant(b);
      assert.deepEqual(await store.range(b, range), { times: [], values: [[]] });
      assert.deepEqual((await store.range(a, range)).values, [[1, 3, 5, 7]]);
    });

    it("refuses a batch it cannot store with StoreRefusedError, and an unreachable backend with StoreUnavailableError", async () => {
      // s1 holds floats: a string for it is refused.
      await assert.rejects(store.write(a, `pump,asset=p1 s1="text" ${at(30)}`, "ms"), StoreRefusedError);
      await assert.rejects(sut.unreachable.write(a, `pump,asset=p1 s1=1 ${at(30)}`, "ms"), StoreUnavailableError);
      await assert.rejects(
        sut.unreachable.range(a, {
          measurement: "pump",
          asset: "p1",
          fields: ["s1"],
          from: new Date(at(0)),
          to: new Date(at(60)),
          order: "asc",
        }),
        StoreUnavailableError,
      );
      await assert.rejects(sut.unreachable.ping(), StoreUnavailableError);
      await store.ping();
    });
  });
}
