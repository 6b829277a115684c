import { asc, eq } from "drizzle-orm";
import type { OperatorContext, TenantContext } from "../core/context.js";
import { conflict, forbidden, notFound, validation } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { isUniqueViolation, type Tx } from "../db/client.js";
import { checkReason, logAccess } from "../operators/index.js";
import type { Plan } from "./account.js";
import { type PriceComponent, plans } from "./schema.js";

export type { Plan };

/** What an operator sets on a plan. Amounts in the currency's minor unit; a null limit means no limit. */
export interface PlanInput {
  readonly code: string;
  readonly name: string;
  readonly currency: string;
  readonly baseAmount: number;
  readonly pointsAmountPer1000: number;
  readonly predictionAmount: number;
  readonly trainingRunAmount: number;
  readonly pointsPerDay: number | null;
  readonly predictionsPerDay: number | null;
  readonly trainingRunsPerDay: number | null;
  readonly maxAssets: number | null;
  readonly maxModels: number | null;
  readonly retentionDays: number;
  /** Distinct series (measurement and tag set) the tenant may hold; null: the platform default. */
  readonly maxSeries: number | null;
  /** GraphQL cost points per minute of each member and API key; null: the platform default. */
  readonly graphqlCostPerMinute: number | null;
  readonly active: boolean;
}

/** A change to a plan: an absent field stays as it is. The code is fixed once created (Stripe's lookup keys use it). */
export type PlanChange = Partial<Omit<PlanInput, "code">>;

const CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const CURRENCY = /^[a-z]{3}$/;
const INT32_MAX = 2_147_483_647;
/**
 * A tenant's series budget when its plan sets none, and the most a plan may set. InfluxDB refuses
 * the 100,001st value of one tag (max-values-per-tag) in a partial write; every budget stays below
 * that (the schema caps plans at 90,000 too), so neither limit is ever reached inside InfluxDB.
 */
export const DEFAULT_MAX_SERIES = 50_000;
export const MAX_SERIES_LIMIT = 90_000;

/** The series budget that applies: the plan's, or the platform default. */
export const seriesBudget = (planMaxSeries: number | null | undefined): number => planMaxSeries ?? DEFAULT_MAX_SERIES;

function amount(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > INT32_MAX) {
    throw validation(`${field} must be a whole number of the currency's minor unit (cents), from 0 to ${INT32_MAX}.`, { field });
  }
}

function limit(field: string, value: number | null, max: number): void {
  if (value === null) return;
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw validation(`${field} must be a whole number from 0 to ${max}, or null for no limit.`, { field });
  }
}

function atLeastOne(field: string, value: number | null, max: number, nullMeans: string): void {
  if (value === null) return;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw validation(`${field} must be a whole number from 1 to ${max}, or null ${nullMeans}.`, { field });
  }
}

/** Checks a complete plan; every message names the field and what is allowed. */
export function checkPlan(input: PlanInput): PlanInput {
  const code = input.code.trim();
  if (!CODE.test(code)) {
    throw validation("The code must be 1 to 40 lower-case letters, digits, '-' or '_', starting with a letter or digit.", {
      field: "code",
    });
  }
  const name = input.name.trim();
  if (name.length < 2 || name.length > 120) throw validation("The plan name must be 2 to 120 characters long.", { field: "name" });
  const currency = input.currency.trim();
  if (!CURRENCY.test(currency)) {
    throw validation('The currency must be a three-letter ISO code in lower case, such as "eur" or "usd".', { field: "currency" });
  }
  amount("baseAmount", input.baseAmount);
  amount("pointsAmountPer1000", input.pointsAmountPer1000);
  amount("predictionAmount", input.predictionAmount);
  amount("trainingRunAmount", input.trainingRunAmount);
  limit("pointsPerDay", input.pointsPerDay, Number.MAX_SAFE_INTEGER);
  limit("predictionsPerDay", input.predictionsPerDay, INT32_MAX);
  limit("trainingRunsPerDay", input.trainingRunsPerDay, INT32_MAX);
  limit("maxAssets", input.maxAssets, INT32_MAX);
  limit("maxModels", input.maxModels, INT32_MAX);
  if (!Number.isInteger(input.retentionDays) || input.retentionDays < 1 || input.retentionDays > 3650) {
    throw validation("retentionDays must be a whole number of days from 1 to 3650.", { field: "retentionDays" });
  }
  atLeastOne("maxSeries", input.maxSeries, MAX_SERIES_LIMIT, "for the platform default");
  atLeastOne("graphqlCostPerMinute", input.graphqlCostPerMinute, INT32_MAX, "for the platform default");
  return { ...input, code, name, currency };
}

function assertFinance(ctx: OperatorContext): void {
  if (ctx.principal.role !== "finance") throw forbidden("Only finance operators manage plans.");
}

const inputOf = (p: Plan): PlanInput => ({
  code: p.code,
  name: p.name,
  currency: p.currency,
  baseAmount: p.baseAmount,
  pointsAmountPer1000: p.pointsAmountPer1000,
  predictionAmount: p.predictionAmount,
  trainingRunAmount: p.trainingRunAmount,
  pointsPerDay: p.pointsPerDay,
  predictionsPerDay: p.predictionsPerDay,
  trainingRunsPerDay: p.trainingRunsPerDay,
  maxAssets: p.maxAssets,
  maxModels: p.maxModels,
  retentionDays: p.retentionDays,
  maxSeries: p.maxSeries,
  graphqlCostPerMinute: p.graphqlCostPerMinute,
  active: p.active,
});

export async function planById(tx: Tx, id: string): Promise<Plan | undefined> {
  const [row] = await tx.select().from(plans).where(eq(plans.id, id));
  return row;
}

/** Creates a plan (finance operators only); the sync then puts it into Stripe. Audited with the reason. */
export async function createPlan(ctx: OperatorContext, input: { plan: PlanInput; reason: string }): Promise<Plan> {
  assertFinance(ctx);
  const reason = checkReason(input.reason);
  const p = checkPlan(input.plan);
  const id = newId("plan");
  try {
    return await ctx.opsDb.db.transaction(async (tx) => {
      await tx.insert(plans).values({ id, ...p });
      await logAccess(ctx, tx, "operator.plan_created", `${reason} [plan ${p.code}]`);
      const created = await planById(tx, id);
      if (!created) throw new Error(`Plan ${id} vanished in its own transaction`);
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error, "plans_code_key")) throw conflict(`A plan with the code "${p.code}" exists already.`, { field: "code" });
    throw error;
  }
}

/** Changes a plan (finance operators only). Changed amounts become new Stripe prices at the next sync. */
export async function updatePlan(ctx: OperatorContext, input: { id: string; change: PlanChange; reason: string }): Promise<Plan> {
  assertFinance(ctx);
  const reason = checkReason(input.reason);
  return ctx.opsDb.db.transaction(async (tx) => {
    const [current] = await tx.select().from(plans).where(eq(plans.id, input.id)).for("update");
    if (!current) throw notFound("Plan", input.id);
    const defined = Object.fromEntries(Object.entries(input.change).filter(([, v]) => v !== undefined)) as PlanChange;
    const next = checkPlan({ ...inputOf(current), ...defined });
    const { code: _, ...values } = next;
    await tx
      .update(plans)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(plans.id, current.id));
    await logAccess(ctx, tx, "operator.plan_updated", `${reason} [plan ${current.code}: ${Object.keys(defined).join(", ") || "nothing"}]`);
    const updated = await planById(tx, current.id);
    if (!updated) throw new Error(`Plan ${current.id} vanished in its own transaction`);
    return updated;
  });
}

/** The plans a tenant can choose from, cheapest first. */
export async function listActivePlans(ctx: TenantContext): Promise<Plan[]> {
  return ctx.tx.select().from(plans).where(eq(plans.active, true)).orderBy(asc(plans.baseAmount), asc(plans.code));
}

export async function planByCode(tx: Tx, code: string): Promise<Plan | undefined> {
  const [row] = await tx.select().from(plans).where(eq(plans.code, code));
  return row;
}

/** What a plan charges per unit of a component (per 1,000 points for points), in minor units: Stripe's prices and the invoice preview both read it here. */
export function unitAmountOf(plan: Plan, component: PriceComponent): number {
  switch (component) {
    case "base":
      return plan.baseAmount;
    case "points_ingested":
      return plan.pointsAmountPer1000;
    case "predictions":
      return plan.predictionAmount;
    case "training_runs":
      return plan.trainingRunAmount;
  }
}
