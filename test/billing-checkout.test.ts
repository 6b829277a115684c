import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BillingAccountDocument, OpenCustomerPortalDocument, StartCheckoutDocument } from "./generated/graphql.js";
import { createTestPlan, customerOf, subscribeTenant, syncTestCatalogue } from "./support/billing.js";
import { type Api, addMember, codeOf, gql, gqlOk, newTenant, startApi, testConfig } from "./support/harness.js";
import { type StripeProxy, startStripeProxy } from "./support/stripe-proxy.js";

describe("subscribing: Checkout and the Customer Portal", () => {
  let api: Api;
  let proxy: StripeProxy;
  let plan: { id: string; code: string };

  before(async () => {
    const base = testConfig();
    proxy = await startStripeProxy(base.STRIPE_API_BASE);
    api = await startApi(testConfig({ STRIPE_API_BASE: proxy.url, PORTAL_URL: "https://portal.example.test" }));
    plan = await createTestPlan(api, { name: "Checkout plan" });
    await syncTestCatalogue(api, [plan.id]);
  });

  after(async () => {
    await api?.close();
    await proxy?.close();
  });

  it("answers a Checkout URL from Stripe and reuses the tenant's customer on a second call", async () => {
    const t = await newTenant(api, "Buyer");
    const from = proxy.records.length;
    const { startCheckout: first } = await gqlOk(api, StartCheckoutDocument, { planCode: plan.code }, t.token);
    const { startCheckout: second } = await gqlOk(api, StartCheckoutDocument, { planCode: plan.code }, t.token);
    assert.match(first.url, /^https:\/\/checkout\.stripe\.com\//);
    assert.match(first.sessionId, /^cs_/);
    assert.match(second.url, /^https:\/\//);
    const records = proxy.records.slice(from);
    const customers = records.filter((r) => r.method === "POST" && r.path === "/v1/customers");
    assert.equal(customers.length, 1, "one customer for the tenant");
    assert.equal(customers[0]?.params.get("metadata[tenant_id]"), t.tenantId);
    assert.equal(customers[0]?.params.get("name"), "Buyer");
    assert.ok(customers[0]?.idempotencyKey?.includes(t.tenantId));
    const sessions = records.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions");
    assert.equal(sessions.length, 2);
    const customer = await customerOf(api, t);
    assert.match(customer ?? "", /^cus_/);
    for (const s of sessions) {
      const p = s.params;
      assert.equal(s.status, 200);
      assert.ok(s.idempotencyKey);
      assert.equal(p.get("mode"), "subscription");
      assert.equal(p.get("customer"), customer);
      assert.equal(p.get("client_reference_id"), t.tenantId);
      assert.equal(p.get("metadata[plan_id]"), plan.id);
      assert.equal(p.get("subscription_data[metadata][tenant_id]"), t.tenantId);
      assert.equal(p.get("subscription_data[metadata][plan_id]"), plan.id);
      assert.match(p.get("success_url") ?? "", /^https:\/\/portal\.example\.test\/billing\?checkout=success/);
      assert.match(p.get("cancel_url") ?? "", /^https:\/\/portal\.example\.test\//);
      assert.equal(p.get("line_items[0][quantity]"), "1", "the base price, once");
      for (const i of [1, 2, 3]) {
        assert.match(p.get(`line_items[${i}][price]`) ?? "", /^price_/);
        assert.equal(p.get(`line_items[${i}][quantity]`), null, "a metered price has no quantity");
      }
    }
    assert.notEqual(sessions[0]?.idempotencyKey, sessions[1]?.idempotencyKey, "two requests, two sessions");
    const { billingAccount } = await gqlOk(api, BillingAccountDocument, {}, t.token);
    assert.equal(billingAccount.status, "NONE", "only the webhooks activate a subscription");
  });

  it("lets owners and finance members subscribe, and nobody else", async () => {
    const t = await newTenant(api, "Roles");
    const finance = await addMember(api, t, "FINANCE");
    assert.equal(await codeOf(api, StartCheckoutDocument, { planCode: plan.code }, finance.token), "OK");
    for (const role of ["ENGINEER", "VIEWER", "ADMIN"] as const) {
      const member = await addMember(api, t, role);
      assert.equal(await codeOf(api, StartCheckoutDocument, { planCode: plan.code }, member.token), "FORBIDDEN", role);
      assert.equal(await codeOf(api, OpenCustomerPortalDocument, {}, member.token), "FORBIDDEN", role);
    }
    assert.equal(await codeOf(api, BillingAccountDocument, {}, finance.token), "OK");
  });

  it("refuses unknown, inactive and not yet synced plans with a clear error", async () => {
    const t = await newTenant(api, "Picky");
    const unknown = await gql(api, StartCheckoutDocument, { planCode: "no-such-plan" }, t.token);
    assert.equal(unknown.errors?.[0]?.extensions?.code, "NOT_FOUND");
    const unsynced = await createTestPlan(api, { name: "Not in Stripe yet" });
    const pending = await gql(api, StartCheckoutDocument, { planCode: unsynced.code }, t.token);
    assert.equal(pending.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(pending.errors?.[0]?.message ?? "", /not available in the payment system yet/);
    const retired = await createTestPlan(api, { name: "Retired", active: false });
    await syncTestCatalogue(api, [retired.id]);
    const inactive = await gql(api, StartCheckoutDocument, { planCode: retired.code }, t.token);
    assert.equal(inactive.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(inactive.errors?.[0]?.message ?? "", /no longer offered/);
    assert.equal(await customerOf(api, t), null, "no customer for a checkout that did not start");
  });

  it("opens the Customer Portal only once there is a customer, and shows the subscription", async () => {
    const t = await newTenant(api, "Portal user");
    const early = await gql(api, OpenCustomerPortalDocument, {}, t.token);
    assert.equal(early.errors?.[0]?.extensions?.code, "CONFLICT");
    assert.match(early.errors?.[0]?.message ?? "", /subscribe first/);
    const { customerId, subscriptionId } = await subscribeTenant(api, t, plan.code);
    const from = proxy.records.length;
    const { openCustomerPortal } = await gqlOk(api, OpenCustomerPortalDocument, {}, t.token);
    assert.match(openCustomerPortal.url, /^https:\/\//);
    const portal = proxy.records.slice(from).find((r) => r.path === "/v1/billing_portal/sessions");
    assert.equal(portal?.params.get("customer"), customerId);
    assert.equal(portal?.params.get("return_url"), "https://portal.example.test/billing");
    assert.ok(portal?.idempotencyKey);
    const { billingAccount } = await gqlOk(api, BillingAccountDocument, {}, t.token);
    assert.equal(billingAccount.status, "ACTIVE");
    assert.equal(billingAccount.plan?.code, plan.code);
    assert.equal(billingAccount.subscriptionId, subscriptionId);
    const again = await gql(api, StartCheckoutDocument, { planCode: plan.code }, t.token);
    assert.equal(again.errors?.[0]?.extensions?.code, "CONFLICT", "a second subscription goes through the portal");
  });
});
