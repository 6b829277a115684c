import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { type CatalogueReport, syncCatalogue } from "../src/billing/catalogue.js";
import { stripeMeters, stripePrices, stripeProducts } from "../src/billing/schema.js";
import { createStripe } from "../src/billing/stripe.js";
import { OperatorCreatePlanDocument, OperatorUpdatePlanDocument, PlansDocument } from "./generated/graphql.js";
import { createTestPlan, financeOperatorToken, planInput } from "./support/billing.js";
import { type Api, codeOf, gql, gqlOk, newOperator, newTenant, startApi, type TestTenant } from "./support/harness.js";
import { type ProxyRecord, type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";

const CREATE_PATHS = new Set(["/v1/products", "/v1/prices", "/v1/billing/meters"]);
const isCreate = (r: ProxyRecord) => r.method === "POST" && CREATE_PATHS.has(r.path.split("?")[0] ?? "");
const posts = (records: ProxyRecord[], path: string) => records.filter((r) => r.method === "POST" && r.path === path);

describe("plans and the Stripe catalogue", () => {
  let api: Api;
  let proxy: StripeProxy;
  let stripe: Stripe;
  let tenant: TestTenant;
  const log = { info: () => undefined, warn: () => undefined };
  const sync = (planIds: string[], client: Stripe = stripe): Promise<CatalogueReport> =>
    syncCatalogue({ opsDb: api.services.opsDb, stripe: client, log, planIds });
  /** The records of one run only. */
  async function recorded(run: () => Promise<unknown>): Promise<ProxyRecord[]> {
    const from = proxy.records.length;
    await run();
    return proxy.records.slice(from);
  }

  before(async () => {
    api = await startApi();
    proxy = await startStripeProxy(api.services.config.STRIPE_API_BASE);
    stripe = createStripe(api.services.config.STRIPE_SECRET_KEY, proxy.url, 2_000);
    tenant = await newTenant(api, "Plan Shopper");
  });

  after(async () => {
    await proxy?.close();
    await api?.close();
  });

  describe("plans", () => {
    it("lets finance operators create plans and lists the active ones to tenants with their entitlements", async () => {
      const shown = await createTestPlan(api, {
        name: "Shown",
        pointsPerDay: 5_000_000_000,
        maxAssets: 25,
        retentionDays: 90,
        maxSeries: 2_000,
        graphqlCostPerMinute: 600,
      });
      const hidden = await createTestPlan(api, { name: "Hidden", active: false });
      const { plans } = await gqlOk(api, PlansDocument, {}, tenant.token);
      const plan = plans.find((p) => p.id === shown.id);
      assert.ok(plan, "the active plan is listed");
      assert.equal(plan.baseAmount, 4900);
      assert.equal(plan.currency, "eur");
      assert.deepEqual(plan.entitlements, {
        pointsPerDay: 5_000_000_000,
        predictionsPerDay: null,
        trainingRunsPerDay: null,
        maxAssets: 25,
        maxModels: null,
        retentionDays: 90,
        maxSeries: 2_000,
        graphqlCostPerMinute: 600,
      });
      const free = plans.find((p) => p.isDefault);
      assert.equal(free?.entitlements.maxSeries, 50_000, "a plan without a series budget shows the platform default");
      assert.ok(!plans.some((p) => p.id === hidden.id), "an inactive plan is not offered");
    });

    it("refuses plans a person got wrong, with the field named", async () => {
      const token = await financeOperatorToken(api);
      const cases: [Partial<ReturnType<typeof planInput>>, RegExp][] = [
        [{ currency: "EUR" }, /currency/],
        [{ currency: "euro" }, /currency/],
        [{ baseAmount: -1 }, /baseAmount/],
        [{ predictionAmount: 1.5 }, /predictionAmount/],
        [{ maxAssets: -3 }, /maxAssets/],
        [{ retentionDays: 0 }, /retentionDays/],
        [{ retentionDays: 3651 }, /retentionDays/],
        [{ code: "Has Spaces" }, /code/],
        [{ maxSeries: 0 }, /maxSeries/],
        [{ maxSeries: 90_001 }, /maxSeries.*90000/],
        [{ graphqlCostPerMinute: 0 }, /graphqlCostPerMinute/],
      ];
      for (const [override, field] of cases) {
        const result = await gql(api, OperatorCreatePlanDocument, { input: planInput(override), reason: "ticket 1: new plan" }, token);
        assert.equal(result.errors?.[0]?.extensions?.code, "VALIDATION", JSON.stringify(override));
        assert.match(result.errors?.[0]?.message ?? "", field);
      }
    });

    it("refuses a duplicate code, support operators and a change to a plan that does not exist", async () => {
      const token = await financeOperatorToken(api);
      const first = planInput();
      await gqlOk(api, OperatorCreatePlanDocument, { input: first, reason: "ticket 2: new plan" }, token);
      assert.equal(await codeOf(api, OperatorCreatePlanDocument, { input: first, reason: "ticket 2: again" }, token), "CONFLICT");
      const support = await newOperator(api, "support");
      assert.equal(
        await codeOf(api, OperatorCreatePlanDocument, { input: planInput(), reason: "ticket 3: not mine" }, support.token),
        "FORBIDDEN",
      );
      assert.equal(
        await codeOf(api, OperatorUpdatePlanDocument, { id: "pln_missing", input: { baseAmount: 1 }, reason: "ticket 4: fix" }, token),
        "NOT_FOUND",
      );
    });
  });

  describe("catalogue sync", () => {
    let plan: { id: string; code: string };
    let first: ProxyRecord[];

    before(async () => {
      plan = await createTestPlan(api, { name: "Catalogue plan", baseAmount: 9900, pointsAmountPer1000: 3 });
      first = await recorded(() => sync([plan.id]));
    });

    it("sends only requests stripe-mock accepts, each create with an idempotency key", () => {
      assert.ok(first.length >= 5, `${first.length} requests`);
      for (const r of first) {
        assert.ok(r.status !== undefined && r.status >= 200 && r.status < 300, `${r.method} ${r.path} answered ${r.status}`);
        if (r.method === "POST") assert.ok(r.idempotencyKey, `${r.method} ${r.path} has an idempotency key`);
      }
    });

    it("creates one product and the four prices with their lookup keys, meters and transform", async () => {
      const products = posts(first, "/v1/products");
      assert.equal(products.length, 1);
      assert.equal(products[0]?.params.get("metadata[pdm_plan_id]"), plan.id);
      assert.equal(products[0]?.params.get("metadata[pdm_plan_code]"), plan.code);
      // The per-event prices; where the hourly meters exist, the prices on them follow (billing-hourly-prices.test.ts).
      const prices = posts(first, "/v1/prices").filter((p) => !p.params.get("lookup_key")?.endsWith("_hourly"));
      assert.deepEqual(prices.map((p) => p.params.get("lookup_key")).sort(), [
        `pdm_${plan.code}_base`,
        `pdm_${plan.code}_points_ingested`,
        `pdm_${plan.code}_predictions`,
        `pdm_${plan.code}_training_runs`,
      ]);
      const meters = await api.services.opsDb.db.select().from(stripeMeters);
      assert.deepEqual(meters.map((m) => m.eventName).sort(), ["pdm_points_ingested", "pdm_predictions", "pdm_training_runs"]);
      const byKey = (c: string) => prices.find((p) => p.params.get("lookup_key") === `pdm_${plan.code}_${c}`)?.params;
      assert.equal(byKey("base")?.get("unit_amount"), "9900");
      assert.equal(byKey("base")?.get("recurring[usage_type]"), "licensed");
      const points = byKey("points_ingested");
      assert.equal(points?.get("recurring[usage_type]"), "metered");
      assert.equal(points?.get("recurring[meter]"), meters.find((m) => m.meter === "points_ingested")?.stripeMeterId);
      assert.equal(points?.get("transform_quantity[divide_by]"), "1000");
      assert.equal(points?.get("transform_quantity[round]"), "up");
      assert.equal(points?.get("unit_amount"), "3");
      assert.equal(byKey("predictions")?.get("recurring[meter]"), meters.find((m) => m.meter === "predictions")?.stripeMeterId);
      assert.equal(byKey("training_runs")?.get("metadata[component]"), "training_runs");
      const rows = await api.services.opsDb.db.select().from(stripePrices).where(eq(stripePrices.planId, plan.id));
      assert.equal(rows.filter((r) => r.active && !r.hourly).length, 4);
      const [product] = await api.services.opsDb.db.select().from(stripeProducts).where(eq(stripeProducts.planId, plan.id));
      assert.match(product?.stripeProductId ?? "", /^prod_/);
    });

    it("creates nothing on a second run", async () => {
      let report: CatalogueReport | undefined;
      const second = await recorded(async () => {
        report = await sync([plan.id]);
      });
      assert.deepEqual(second.filter(isCreate), []);
      assert.deepEqual(report?.created, []);
      assert.ok(second.every((r) => (r.status ?? 0) < 300));
    });

    it("turns a changed amount into exactly one new price under the same lookup key and deactivates the old one", async () => {
      const oldBase = (await api.services.opsDb.db.select().from(stripePrices).where(eq(stripePrices.planId, plan.id))).find(
        (r) => r.component === "base" && r.active,
      );
      assert.ok(oldBase);
      const token = await financeOperatorToken(api);
      await gqlOk(api, OperatorUpdatePlanDocument, { id: plan.id, input: { baseAmount: 12900 }, reason: "ticket 5: new price" }, token);
      const third = await recorded(() => sync([plan.id]));
      const created = third.filter(isCreate);
      assert.equal(created.length, 1, JSON.stringify(created.map((r) => r.path)));
      assert.equal(created[0]?.params.get("lookup_key"), `pdm_${plan.code}_base`);
      assert.equal(created[0]?.params.get("transfer_lookup_key"), "true");
      assert.equal(created[0]?.params.get("unit_amount"), "12900");
      const deactivated = posts(third, `/v1/prices/${oldBase.stripePriceId}`);
      assert.equal(deactivated.length, 1);
      assert.equal(deactivated[0]?.params.get("active"), "false");
      const rows = await api.services.opsDb.db.select().from(stripePrices).where(eq(stripePrices.planId, plan.id));
      const base = rows.filter((r) => r.component === "base");
      assert.deepEqual(
        base.sort((x, y) => x.unitAmount - y.unitAmount).map((r) => [r.unitAmount, r.active]),
        [
          [9900, false],
          [12900, true],
        ],
      );
      const fourth = await recorded(() => sync([plan.id]));
      assert.deepEqual(fourth.filter(isCreate), []);
    });

    it("repeats a create that got no answer with the same idempotency key, and records it once", async () => {
      const other = await createTestPlan(api, { name: "Unanswered plan" });
      const quick = createStripe(api.services.config.STRIPE_SECRET_KEY, proxy.url, 300);
      const lookup = `pdm_${other.code}_base`;
      proxy.setFaults((method, path) => (method === "POST" && path === "/v1/prices" ? "timeout" : "pass"));
      const failed = await recorded(() => assert.rejects(sync([other.id], quick)));
      proxy.setFaults(() => "pass");
      const retried = await recorded(() => sync([other.id], quick));
      const attempts = [...failed, ...retried].filter((r) => r.path === "/v1/prices" && r.params.get("lookup_key") === lookup);
      assert.ok(attempts.length >= 2, `${attempts.length} attempts`);
      assert.ok(
        attempts.every((r) => r.forwarded),
        "each attempt reached Stripe",
      );
      assert.equal(new Set(attempts.map((r) => r.idempotencyKey)).size, 1, "one idempotency key for every attempt");
      const rows = await api.services.opsDb.db.select().from(stripePrices).where(eq(stripePrices.planId, other.id));
      assert.equal(rows.filter((r) => r.component === "base").length, 1);
    });
  });
});
