import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newPaidTenant } from "./support/billing.js";
import { newApiKey, newFleet, newTenant, startApi, testConfig } from "./support/harness.js";
import { influxql, lines, type QueryAnswer } from "./support/query.js";
import { writeV2 } from "./support/telemetry.js";

describe("/query limits", () => {
  it("refuses a statement whose answer passes the rows one request may answer, and the statements after it", async () => {
    const api = await startApi(testConfig({ QUERY_MAX_ROWS: "3" }));
    try {
      const t = await newPaidTenant(api, "Row Cap Ltd");
      const fleet = await newFleet(api, t, { assets: 1, sensors: ["s1"] });
      const key = (await newApiKey(api, t, ["telemetry:read"])).secret;
      const second = Math.floor(Date.now() / 1000) - 600;
      const points = [1, 2, 3, 4, 5].map((v) => `turbofan,asset=engine_1 s1=${v} ${second + v}`).join("\n");
      assert.equal((await writeV2(api, fleet.deviceToken, points, { precision: "s" })).status, 204);
      const auth = { kind: "token", key } as const;

      const all = await influxql(api, "SELECT s1 FROM turbofan", { auth });
      assert.equal(all.status, 200, all.text);
      assert.match(all.body.results?.[0]?.error ?? "", /more than 3 rows/);
      assert.equal(all.body.results?.[0]?.series, undefined);

      const limited = await influxql(api, "SELECT s1 FROM turbofan LIMIT 3", { auth });
      assert.equal(limited.body.results?.[0]?.series?.[0]?.values.length, 3);

      const two = await influxql(api, "SELECT s1 FROM turbofan LIMIT 2; SELECT s1 FROM turbofan LIMIT 2; SHOW DATABASES", { auth });
      assert.equal(two.body.results?.[0]?.series?.[0]?.values.length, 2);
      assert.match(two.body.results?.[1]?.error ?? "", /more than 1 rows/);
      assert.deepEqual(two.body.results?.[2], { statement_id: 2, error: "not executed" });

      const chunked = await influxql(api, "SELECT s1 FROM turbofan", { auth, params: { chunked: "true", chunk_size: "2" } });
      assert.deepEqual(
        lines(chunked).map((l) => l.results?.[0]?.error),
        [all.body.results?.[0]?.error],
      );
    } finally {
      await api.close();
    }
  });

  it("charges each statement to the caller's GraphQL bucket and answers 429 with Retry-After in InfluxDB's shape once it is spent", async () => {
    const api = await startApi(testConfig({ GRAPHQL_COST_PER_MINUTE: "100" }));
    try {
      const t = await newTenant(api);
      const key = (await newApiKey(api, t, ["telemetry:read"])).secret;
      // Five statements of 10 points: two requests fit in a 100-point minute, the bucket leaks under 2 points a second.
      const q = "SHOW DATABASES; SHOW DATABASES; SHOW DATABASES; SHOW DATABASES; SHOW DATABASES";
      let limited: QueryAnswer | undefined;
      let allowed = 0;
      for (let i = 0; i < 10 && !limited; i++) {
        const answer = await influxql(api, q, { auth: { kind: "token", key } });
        if (answer.status === 429) limited = answer;
        else {
          assert.equal(answer.status, 200, answer.text);
          allowed += 1;
        }
      }
      assert.ok(limited, "the key was limited");
      assert.equal(allowed, 2, `allowed ${allowed} requests of 50 points in a 100-point minute`);
      const retry = Number(limited.headers.get("retry-after"));
      assert.ok(Number.isInteger(retry) && retry >= 1, `Retry-After ${String(retry)}`);
      assert.deepEqual(Object.keys(limited.body), ["error"]);
      assert.equal(limited.headers.get("x-pdm-error-code"), "RATE_LIMITED");
      assert.match(limited.body.error ?? "", /costs 50 points/);
    } finally {
      await api.close();
    }
  });
});
