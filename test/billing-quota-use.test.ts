import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../src/db/client.js";
import * as g from "./generated/graphql.js";
import { type Api, addMember, gql, gqlOk, newFleet, newTenant, startApi } from "./support/harness.js";
import { insertTestPlan, ownerDb, setSubscription } from "./support/plans.js";
import { recordTestUsage } from "./support/usage.js";

const DAY = 86_400_000;

describe("billing: quotaUse, the tenant's use of its plan's limits now", () => {
  let api: Api;
  let owner: Db;

  before(async () => {
    api = await startApi();
    owner = ownerDb();
  });
  after(async () => {
    await owner?.close();
    await api?.close();
  });

  it("counts today's usage per meter against the daily limit (the tenant's own points limit when smaller) and what exists against the maximum", async () => {
    const tenant = await newTenant(api, "Quota Use Ltd");
    const other = await newTenant(api, "Quota Use Neighbour");
    const plan = await insertTestPlan(owner, { pointsPerDay: 1000, predictionsPerDay: 10, maxAssets: 5 });
    await setSubscription(owner, tenant.tenantId, { planId: plan.id, status: "active" });
    await newFleet(api, tenant, { assets: 2 });
    const now = new Date();
    await recordTestUsage(api, tenant.tenantId, [
      { meter: "points_ingested", quantity: 300, at: now },
      { meter: "predictions", quantity: 4, at: now },
      { meter: "predictions", quantity: 6, at: new Date(now.getTime() - DAY) },
    ]);
    await recordTestUsage(api, other.tenantId, [{ meter: "predictions", quantity: 9, at: now }]);
    await owner.sql`update tenants set daily_point_quota = 500 where id = ${tenant.tenantId}`;

    const { quotaUse } = await gqlOk(api, g.QuotaUseDocument, {}, tenant.token);
    const midnight = new Date(Math.floor(Date.now() / DAY) * DAY + DAY).toISOString();
    assert.deepEqual(
      { ...quotaUse, plan: quotaUse.plan?.id },
      {
        billingStatus: "ACTIVE",
        day: new Date().toISOString().slice(0, 10),
        resetsAt: midnight,
        plan: plan.id,
        daily: [
          { meter: "POINTS_INGESTED", used: 300, limit: 500 },
          { meter: "PREDICTIONS", used: 4, limit: 10 },
          { meter: "TRAINING_RUNS", used: 0, limit: null },
        ],
        counts: [
          { entitlement: "MAX_ASSETS", used: 2, limit: 5 },
          { entitlement: "MAX_MODELS", used: 0, limit: null },
        ],
      },
    );
  });

  it("without a subscription, the free tier's limits apply", async () => {
    const tenant = await newTenant(api, "Quota Free Ltd");
    const [free] = await owner.sql<{ id: string; predictions_per_day: number | null }[]>`
      select id, predictions_per_day from plans where is_default`;
    const { quotaUse } = await gqlOk(api, g.QuotaUseDocument, {}, tenant.token);
    assert.equal(quotaUse.billingStatus, "NONE");
    assert.equal(quotaUse.plan?.id ?? null, free?.id ?? null);
    assert.equal(quotaUse.daily.find((d) => d.meter === "PREDICTIONS")?.limit ?? null, free?.predictions_per_day ?? null);
  });

  it("is refused without billing:read, with the scope named", async () => {
    const tenant = await newTenant(api, "Quota Scope Ltd");
    const viewer = await addMember(api, tenant, "VIEWER");
    const answer = await gql(api, g.QuotaUseDocument, {}, viewer.token);
    assert.equal(answer.errors?.[0]?.extensions?.code, "FORBIDDEN");
    assert.match(answer.errors?.[0]?.message ?? "", /billing:read/);
  });
});
