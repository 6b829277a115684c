import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { type CatalogueReport, syncCatalogue } from "../src/billing/catalogue.js";
import { syncHourlyMeters } from "../src/billing/catalogue-hourly.js";
import { stripePrices, stripeProducts } from "../src/billing/schema.js";
import { createStripe } from "../src/billing/stripe.js";
import { connectDb, type Db } from "../src/db/client.js";
import { OperatorUpdatePlanDocument } from "./generated/graphql.js";
import { createTestPlan, financeOperatorToken } from "./support/billing.js";
import { type Api, gqlOk, startApi } from "./support/harness.js";
import { type ProxyRecord, type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";

const CREATE_PATHS = new Set(["/v1/products", "/v1/prices", "/v1/billing/meters"]);
const isCreate = (r: ProxyRecord) => r.method === "POST" && CREATE_PATHS.has(r.path.split("?")[0] ?? "");
const isUpdate = (r: ProxyRecord) => r.method === "POST" && !CREATE_PATHS.has(r.path.split("?")[0] ?? "");

describe("catalogue sync: changes only, one run at a time", () => {
  let api: Api;
  let proxy: StripeProxy;
  let stripe: Stripe;
  const log = { info: () => undefined, warn: () => undefined };
  const sync = (planIds: string[], opsDb: Db = api.services.opsDb): Promise<CatalogueReport> =>
    syncCatalogue({ opsDb, stripe, log, planIds });
  async function recorded(run: () => Promise<unknown>): Promise<ProxyRecord[]> {
    const from = proxy.records.length;
    await run();
    return proxy.records.slice(from);
  }

  before(async () => {
    api = await startApi();
    proxy = await startStripeProxy(api.services.config.STRIPE_API_BASE);
    stripe = createStripe(api.services.config.STRIPE_SECRET_KEY, proxy.url, 2_000);
  });

  after(async () => {
    await proxy?.close();
    await api?.close();
  });

  it("sends no update when nothing changed, and exactly one product update after a rename", async () => {
    const plan = await createTestPlan(api, { name: "Fingerprinted plan" });
    await sync([plan.id]);
    const [product] = await api.services.opsDb.db.select().from(stripeProducts).where(eq(stripeProducts.planId, plan.id));
    assert.ok(product);

    let report: CatalogueReport | undefined;
    const unchanged = await recorded(async () => {
      report = await sync([plan.id]);
    });
    assert.deepEqual(
      unchanged.filter((r) => r.method === "POST").map((r) => r.path),
      [],
      "a second run with nothing changed sends no create and no update",
    );
    assert.deepEqual(report?.updated, []);
    assert.deepEqual(report?.created, []);

    const token = await financeOperatorToken(api);
    await gqlOk(api, OperatorUpdatePlanDocument, { id: plan.id, input: { name: "Renamed plan" }, reason: "ticket 7: rename" }, token);
    const renamed = await recorded(() => sync([plan.id]));
    const posted = renamed.filter((r) => r.method === "POST");
    assert.deepEqual(
      posted.map((r) => r.path),
      [`/v1/products/${product.stripeProductId}`],
      "one product update and nothing else",
    );
    assert.equal(posted[0]?.params.get("name"), "Renamed plan");
    assert.ok(posted[0]?.idempotencyKey, "the update carries an idempotency key");
    assert.ok(
      renamed.every((r) => (r.status ?? 0) >= 200 && (r.status ?? 0) < 300),
      "stripe-mock accepted it",
    );

    const again = await recorded(() => sync([plan.id]));
    assert.deepEqual(again.filter(isUpdate), [], "the rename is sent once");
  });

  it("runs two syncs started at once one after the other: one set of creates, no duplicates", async () => {
    const plan = await createTestPlan(api, { name: "Contended plan" });
    // With the hourly meters in place (kept where they exist): the plan's prices on them too.
    await syncHourlyMeters({ opsDb: api.services.opsDb, stripe, log });
    const config = api.services.config;
    const first = connectDb(config.DATABASE_OPS_URL, { max: 1, applicationName: "pdm-test-catalogue-a" });
    const second = connectDb(config.DATABASE_OPS_URL, { max: 1, applicationName: "pdm-test-catalogue-b" });
    try {
      let reports: CatalogueReport[] = [];
      const both = await recorded(async () => {
        reports = await Promise.all([sync([plan.id], first), sync([plan.id], second)]);
      });
      const creates = both.filter(isCreate);
      const products = creates.filter((r) => r.path === "/v1/products" && r.params.get("metadata[pdm_plan_id]") === plan.id);
      assert.equal(products.length, 1, "one product create");
      const prices = creates.filter((r) => r.path === "/v1/prices" && r.params.get("metadata[pdm_plan_id]") === plan.id);
      assert.deepEqual(prices.map((r) => r.params.get("lookup_key")).sort(), [
        `pdm_${plan.code}_base`,
        `pdm_${plan.code}_points_ingested`,
        `pdm_${plan.code}_points_ingested_hourly`,
        `pdm_${plan.code}_predictions`,
        `pdm_${plan.code}_predictions_hourly`,
        `pdm_${plan.code}_training_runs`,
        `pdm_${plan.code}_training_runs_hourly`,
      ]);
      assert.deepEqual(both.filter(isUpdate), [], "the later run finds everything recorded and sends no update");
      const created = reports.map((r) => r.created.length).sort((a, b) => a - b);
      assert.equal(created[0], 0, "one of the two runs created nothing");
      assert.ok((created[1] ?? 0) >= 8, `the other created the product and the prices (${created[1]})`);

      const productRows = await api.services.opsDb.db.select().from(stripeProducts).where(eq(stripeProducts.planId, plan.id));
      assert.equal(productRows.length, 1);
      const priceRows = await api.services.opsDb.db.select().from(stripePrices).where(eq(stripePrices.planId, plan.id));
      assert.equal(priceRows.length, 7);
      assert.ok(priceRows.every((r) => r.active));
    } finally {
      await first.close();
      await second.close();
    }
  });
});
