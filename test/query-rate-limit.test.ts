import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newApiKey, newTenant, startApi, testConfig } from "./support/harness.js";
import { influxql, type QueryAnswer } from "./support/query.js";

describe("/query rate limit", () => {
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
      assert.match(limited.body.error ?? "", /costs 50 points/);
    } finally {
      await api.close();
    }
  });
});
