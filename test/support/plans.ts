import { randomBytes } from "node:crypto";
import { connectDb, type Db } from "../../src/db/client.js";
import { ownerUrl } from "./harness.js";

/**
 * Plans and billing accounts written directly with the owner connection: the state that the
 * catalogue sync and the verified Stripe webhooks leave behind, for tests of what builds on it.
 */

export interface TestPlanInput {
  readonly baseAmount?: number;
  readonly pointsAmountPer1000?: number;
  readonly predictionAmount?: number;
  readonly trainingRunAmount?: number;
  readonly pointsPerDay?: number | null;
  readonly predictionsPerDay?: number | null;
  readonly trainingRunsPerDay?: number | null;
  readonly maxAssets?: number | null;
  readonly maxModels?: number | null;
  readonly currency?: string;
}

export interface TestPlan {
  readonly id: string;
  readonly code: string;
  readonly name: string;
}

export function ownerDb(): Db {
  return connectDb(ownerUrl(), { max: 1, applicationName: "pdm-test-owner" });
}

/** A plan inserted as the owner (what a finance operator and the catalogue sync leave behind); test/support/billing.ts creates one through the API. */
export async function insertTestPlan(owner: Db, input: TestPlanInput = {}): Promise<TestPlan> {
  const suffix = randomBytes(5).toString("hex");
  const plan = { id: `plan_test_${suffix}`, code: `test-${suffix}`, name: `Test plan ${suffix}` };
  await owner.sql`
    insert into plans (id, code, name, currency, base_amount, points_amount_per_1000, prediction_amount, training_run_amount,
      points_per_day, predictions_per_day, training_runs_per_day, max_assets, max_models, retention_days)
    values (${plan.id}, ${plan.code}, ${plan.name}, ${input.currency ?? "eur"}, ${input.baseAmount ?? 0},
      ${input.pointsAmountPer1000 ?? 0}, ${input.predictionAmount ?? 0}, ${input.trainingRunAmount ?? 0},
      ${input.pointsPerDay ?? null}, ${input.predictionsPerDay ?? null}, ${input.trainingRunsPerDay ?? null},
      ${input.maxAssets ?? null}, ${input.maxModels ?? null}, 365)`;
  return plan;
}

/** Changes entitlements of a plan (an upgrade, or a limit lowered by the operators). */
export async function setPlanLimits(
  owner: Db,
  planId: string,
  limits: Partial<Record<"predictionsPerDay" | "trainingRunsPerDay" | "maxAssets" | "maxModels" | "pointsPerDay", number | null>>,
) {
  const column = {
    pointsPerDay: "points_per_day",
    predictionsPerDay: "predictions_per_day",
    trainingRunsPerDay: "training_runs_per_day",
    maxAssets: "max_assets",
    maxModels: "max_models",
  } as const;
  for (const [key, value] of Object.entries(limits)) {
    await owner.sql`update plans set ${owner.sql(column[key as keyof typeof column])} = ${value ?? null} where id = ${planId}`;
  }
}

export interface TestSubscription {
  readonly planId: string;
  /** Stripe's subscription status: active, past_due, canceled, ... */
  readonly status: string;
  readonly pastDueSince?: Date | null;
  readonly periodStart?: Date | null;
  readonly periodEnd?: Date | null;
}

/** The billing account as the webhooks would have left it (created or replaced). */
export async function setSubscription(owner: Db, tenantId: string, s: TestSubscription): Promise<void> {
  const customer = `cus_test_${tenantId}`;
  await owner.sql`
    insert into billing_accounts (tenant_id, stripe_customer_id, plan_id, stripe_subscription_id, subscription_status,
      current_period_start, current_period_end, past_due_since, cancelled_at)
    values (${tenantId}, ${customer}, ${s.planId}, ${`sub_test_${tenantId}`}, ${s.status},
      ${s.periodStart?.toISOString() ?? null}, ${s.periodEnd?.toISOString() ?? null}, ${s.pastDueSince?.toISOString() ?? null},
      ${s.status === "canceled" ? new Date().toISOString() : null})
    on conflict (tenant_id) do update set plan_id = excluded.plan_id, subscription_status = excluded.subscription_status,
      current_period_start = excluded.current_period_start, current_period_end = excluded.current_period_end,
      past_due_since = excluded.past_due_since, cancelled_at = excluded.cancelled_at`;
}

/**
 * Moves a tenant's recorded usage of a meter back by a day, as the owner: to the daily quotas
 * this is exactly what the passing of midnight looks like (they count today's hours), for verbs
 * whose clock is the wall clock.
 */
export async function shiftUsageBackADay(owner: Db, tenantId: string, meter: string): Promise<void> {
  await owner.sql.begin(async (tx) => {
    await tx`update usage_ledger set occurred_at = occurred_at - interval '1 day' where tenant_id = ${tenantId} and meter = ${meter}`;
    await tx`update usage_hourly set hour = hour - interval '1 day' where tenant_id = ${tenantId} and meter = ${meter}`;
  });
}
