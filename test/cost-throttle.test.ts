import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { pino } from "pino";
import { createCostThrottle } from "../src/api/limits/cost-throttle.js";
import { chargeCost } from "../src/api/limits/throttle.js";
import { createChangeFeed } from "../src/db/changes.js";
import { connectDb, type Db } from "../src/db/client.js";
import { ownerDb } from "./support/plans.js";

describe("the cost throttle's shared buckets", () => {
  let db: Db;
  let owner: Db;
  before(() => {
    db = connectDb(process.env.DATABASE_URL ?? "", { max: 4, applicationName: "pdm-test-throttle" });
    owner = ownerDb();
  });
  after(async () => {
    await db?.close();
    await owner?.close();
  });

  it("refuses once the bucket is spent, and every admitted charge lands in Postgres", async () => {
    const changes = createChangeFeed(db, pino({ level: "silent" }));
    const errors: unknown[] = [];
    const throttle = createCostThrottle(db, { changes, onError: (e) => errors.push(e) });
    try {
      const bucket = { key: `address:test-${randomUUID()}`, tenantId: null, defaultPerMinute: 600 };
      let admitted = 0;
      let refused: unknown;
      for (let i = 0; i < 40 && !refused; i++) {
        try {
          await throttle.charge(bucket, 30);
          admitted += 1;
        } catch (error) {
          refused = error;
        }
      }
      assert.match(String((refused as { code?: string })?.code), /RATE_LIMITED/, "the bucket of 600 points refuses at last");
      // 600 points hold 20 charges of 30; the bucket leaks 10 points a second meanwhile.
      assert.ok(admitted >= 20 && admitted <= 22, `admitted ${admitted} charges of 30 into a 600-point bucket`);
      // The charges made without waiting have all been answered by the time one is refused (that one was awaited after them).
      await new Promise((resolve) => setTimeout(resolve, 200));
      const [row] = await owner.sql<{ level: number }[]>`select level from graphql_cost_buckets where key = ${bucket.key}`;
      assert.ok(row, "the bucket is in Postgres");
      assert.ok(row.level >= 600 - 30 - 15, `Postgres holds the admitted charges: level ${row.level}`);
      assert.deepEqual(errors, []);
    } finally {
      await changes.close();
    }
  });

  it("gives nothing back for a charge it did not wait for and Postgres then refused", async () => {
    const changes = createChangeFeed(db, pino({ level: "silent" }));
    const throttle = createCostThrottle(db, { changes, onError: () => undefined });
    try {
      const bucket = { key: `address:test-${randomUUID()}`, tenantId: null, defaultPerMinute: 600 };
      await throttle.charge(bucket, 10); // awaited: the process now believes the bucket nearly empty
      await chargeCost(db, bucket, 580); // another process spends the rest meanwhile
      const level = async () =>
        Number((await owner.sql<{ level: number }[]>`select level from graphql_cost_buckets where key = ${bucket.key}`)[0]?.level);
      const before = await level();
      const status = await throttle.charge(bucket, 30); // not awaited: Postgres refuses it
      await throttle.refund(bucket.key, 30, status);
      const after = await level();
      assert.ok(after >= before - 2, `the refused charge gave nothing back: level ${before} then ${after}`);
    } finally {
      await changes.close();
    }
  });
});
