import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import { createStripe, syncCatalogue } from "../src/billing/index.js";
import type { Config } from "../src/config.js";
import { parseOwnerConfig } from "../src/config.js";
import { AppError } from "../src/core/errors.js";
import { connectDb } from "../src/db/client.js";
import { createOperator } from "../src/operators/index.js";

/**
 * The demo's billing: a finance operator puts a plan on offer, the catalogue sync puts it into
 * Stripe (stripe-mock), the tenant's owner starts Checkout, and the subscription arrives the only
 * way it can: as signed Stripe webhooks.
 */
type GraphQL = <T>(query: string, variables: Record<string, unknown>, token: string) => Promise<T>;

const FINANCE = { email: "demo.finance@example.com", name: "Fin Ops", password: "demo finance password 2026" };
export const DEMO_PLAN = {
  code: "fleet-standard",
  name: "Fleet Standard",
  currency: "eur",
  baseAmount: 49_000,
  pointsAmountPer1000: 2,
  predictionAmount: 5,
  trainingRunAmount: 2_500,
  pointsPerDay: 50_000_000,
  predictionsPerDay: 100_000,
  trainingRunsPerDay: 20,
  maxAssets: 1_000,
  maxModels: 20,
  retentionDays: 365,
};

const money = (minor: number, currency: string) => `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;

async function financeOperatorToken(graphql: GraphQL, say: (l: string) => void): Promise<string> {
  const owner = connectDb(parseOwnerConfig(process.env).DATABASE_OWNER_URL, { max: 1, applicationName: "pdm-demo" });
  try {
    await createOperator(owner, { ...FINANCE, role: "finance" });
    say(`created the finance operator ${FINANCE.email} (operators are provisioned with the owner's connection, never through the API)`);
  } catch (error) {
    if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
  } finally {
    await owner.close();
  }
  const { operatorSignIn } = await graphql<{ operatorSignIn: { token: string } }>(
    "mutation ($input: OperatorSignInInput!) { operatorSignIn(input: $input) { token } }",
    { input: { email: FINANCE.email, password: FINANCE.password } },
    "",
  );
  return operatorSignIn.token;
}

async function signedDelivery(url: string, config: Config, type: string, object: Record<string, unknown>): Promise<string> {
  const payload = JSON.stringify({
    id: `evt_demo_${randomBytes(8).toString("hex")}`,
    object: "event",
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    data: { object },
  });
  const header = new Stripe(config.STRIPE_SECRET_KEY).webhooks.generateTestHeaderString({ payload, secret: config.STRIPE_WEBHOOK_SECRET });
  const res = await fetch(`${url}/stripe/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": header },
    body: payload,
  });
  const body = (await res.json()) as { outcome?: string };
  if (res.status !== 200) throw new Error(`the webhook refused ${type}: ${res.status} ${JSON.stringify(body)}`);
  return body.outcome ?? "?";
}

interface Account {
  status: string;
  subscriptionId: string | null;
  plan: { code: string } | null;
}

/** Puts the demo plan on offer and subscribes the demo tenant to it (once; later runs find it subscribed). */
export async function subscribeDemoTenant(
  url: string,
  config: Config,
  tenant: { id: string; token: string },
  graphql: GraphQL,
  say: (l: string) => void,
): Promise<void> {
  const operatorToken = await financeOperatorToken(graphql, say);
  const { plans } = await graphql<{ plans: { id: string; code: string }[] }>("{ plans { id code } }", {}, tenant.token);
  let plan = plans.find((p) => p.code === DEMO_PLAN.code);
  if (!plan) {
    const { operatorCreatePlan } = await graphql<{ operatorCreatePlan: { id: string; code: string } }>(
      "mutation ($input: PlanInput!, $reason: String!) { operatorCreatePlan(input: $input, reason: $reason) { id code } }",
      { input: DEMO_PLAN, reason: "demo: the plan the C-MAPSS fleet subscribes to" },
      operatorToken,
    );
    plan = operatorCreatePlan;
  }
  say(
    `plan "${DEMO_PLAN.name}": ${money(DEMO_PLAN.baseAmount, DEMO_PLAN.currency)} a month, ${money(DEMO_PLAN.pointsAmountPer1000, DEMO_PLAN.currency)} per 1,000 points, ${money(DEMO_PLAN.predictionAmount, DEMO_PLAN.currency)} per prediction, ${money(DEMO_PLAN.trainingRunAmount, DEMO_PLAN.currency)} per training run`,
  );

  const opsDb = connectDb(config.DATABASE_OPS_URL, { max: 1, applicationName: "pdm-demo-catalogue" });
  try {
    const stripe = createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_BASE, config.STRIPE_TIMEOUT_MS);
    const quiet = { info: () => undefined, warn: () => undefined };
    const report = await syncCatalogue({ opsDb, stripe, log: quiet, planIds: [plan.id] });
    say(
      `catalogue sync to Stripe (${config.STRIPE_API_BASE}): ${report.created.length} created, ${report.updated.length} updated, ${report.unchanged.length} unchanged`,
    );
  } finally {
    await opsDb.close();
  }

  const { billingAccount } = await graphql<{ billingAccount: Account }>(
    "{ billingAccount { status subscriptionId plan { code } } }",
    {},
    tenant.token,
  );
  if (billingAccount.status === "ACTIVE" && billingAccount.plan?.code === DEMO_PLAN.code) {
    say(`the tenant is subscribed already (${billingAccount.subscriptionId})`);
    return;
  }
  const { startCheckout } = await graphql<{ startCheckout: { url: string; sessionId: string } }>(
    "mutation ($plan: String!) { startCheckout(planCode: $plan) { url sessionId } }",
    { plan: DEMO_PLAN.code },
    tenant.token,
  );
  say(`startCheckout: the portal sends the owner to ${startCheckout.url}`);
  say("after the payment Stripe calls POST /stripe/webhook; stripe-mock cannot, so the demo signs and sends the events Stripe sends:");
  const { billingAccount: started } = await graphql<{ billingAccount: { customerId: string | null } }>(
    "{ billingAccount { customerId } }",
    {},
    tenant.token,
  );
  const customerId = started.customerId;
  if (!customerId) throw new Error("startCheckout recorded no Stripe customer");
  const subscriptionId = `sub_demo_${randomBytes(6).toString("hex")}`;
  const now = Math.floor(Date.now() / 1000);
  const metadata = { tenant_id: tenant.id, plan_id: plan.id };
  say(
    `  checkout.session.completed: ${await signedDelivery(url, config, "checkout.session.completed", {
      id: startCheckout.sessionId,
      object: "checkout.session",
      mode: "subscription",
      status: "complete",
      customer: customerId,
      subscription: subscriptionId,
      client_reference_id: tenant.id,
      metadata,
    })}`,
  );
  say(
    `  customer.subscription.created: ${await signedDelivery(url, config, "customer.subscription.created", {
      id: subscriptionId,
      object: "subscription",
      customer: customerId,
      status: "active",
      metadata,
      items: {
        object: "list",
        data: [
          { id: `si_${subscriptionId}`, object: "subscription_item", current_period_start: now, current_period_end: now + 30 * 86_400 },
        ],
      },
    })}`,
  );
  const after = await graphql<{ billingAccount: Account }>("{ billingAccount { status subscriptionId plan { code } } }", {}, tenant.token);
  say(
    `billing status: ${after.billingAccount.status}, plan ${after.billingAccount.plan?.code}, subscription ${after.billingAccount.subscriptionId}`,
  );
}

interface InvoiceLine {
  component: string;
  quantity: number;
  unitAmount: number;
  amount: number;
  description: string;
}

/** What the run used today, the invoice preview of the running period, and what Stripe has of it. */
export async function showUsageAndInvoice(token: string, graphql: GraphQL, say: (l: string) => void): Promise<void> {
  const hour = 3_600_000;
  const from = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString();
  const to = new Date(Math.ceil((Date.now() + 1) / hour) * hour).toISOString();
  const { usage } = await graphql<{ usage: { meter: string; periodStart: string; quantity: number }[] }>(
    "query ($from: DateTimeISO!, $to: DateTimeISO!) { usage(from: $from, to: $to, granularity: DAY) { meter periodStart quantity } }",
    { from, to },
    token,
  );
  say(`\nusage today (${from.slice(0, 10)}), from the exact ledger:`);
  for (const row of usage) say(`  ${row.meter.toLowerCase().padEnd(16)} ${row.quantity.toLocaleString("en").padStart(12)}`);

  const { invoicePreview: inv } = await graphql<{
    invoicePreview: { planName: string; currency: string; periodStart: string; periodEnd: string; lines: InvoiceLine[]; total: number };
  }>(
    "{ invoicePreview { planName currency periodStart periodEnd lines { component quantity unitAmount amount description } total } }",
    {},
    token,
  );
  say(`invoice preview, plan ${inv.planName}, ${inv.periodStart.slice(0, 10)} to ${inv.periodEnd.slice(0, 10)}:`);
  for (const line of inv.lines) {
    say(`  ${line.description.padEnd(64)} ${money(line.amount, inv.currency).padStart(14)}`);
  }
  say(`  ${"total".padEnd(64)} ${money(inv.total, inv.currency).padStart(14)}`);

  const { usageReconciliation } = await graphql<{
    usageReconciliation: { totals: { meter: string; ledgerQuantity: number; confirmedQuantity: number; status: string }[] };
  }>(
    "query ($from: DateTimeISO!, $to: DateTimeISO!) { usageReconciliation(from: $from, to: $to) { totals { meter ledgerQuantity confirmedQuantity status } } }",
    { from, to },
    token,
  );
  say("reconciliation with Stripe (hours are sent by the hourly usage sync once they have closed):");
  for (const t of usageReconciliation.totals) {
    say(
      `  ${t.meter.toLowerCase().padEnd(16)} ledger ${t.ledgerQuantity.toLocaleString("en").padStart(12)}, confirmed by Stripe ${t.confirmedQuantity.toLocaleString("en").padStart(12)}: ${t.status}`,
    );
  }
}
