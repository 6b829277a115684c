import { sql } from "drizzle-orm";
import { bigint, boolean, check, foreignKey, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, tenantId, timestampTz } from "../db/columns.js";
import { tenants } from "../db/tenants.js";

export const METERS = ["points_ingested", "predictions", "training_runs"] as const;
export type Meter = (typeof METERS)[number];

/**
 * Append-only usage: one row per billed piece of work, written in the same transaction as the
 * work where there is one. The idempotency key makes a retried request count once.
 */
export const usageLedger = pgTable(
  "usage_ledger",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    meter: text("meter", { enum: METERS }).notNull(),
    quantity: bigint("quantity", { mode: "number" }).notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    source: text("source").notNull(),
    occurredAt: timestampTz("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("usage_ledger_idempotency_key").on(t.tenantId, t.idempotencyKey),
    index("usage_ledger_meter_time_idx").on(t.tenantId, t.meter, t.occurredAt),
  ],
);

/**
 * Running total per tenant, meter and UTC hour, kept in the ledger's transaction: quotas sum a
 * day of it, and the Stripe sync reports what it holds beyond `reported`.
 */
export const usageHourly = pgTable(
  "usage_hourly",
  {
    tenantId: tenantId(),
    meter: text("meter", { enum: METERS }).notNull(),
    hour: timestampTz("hour").notNull(),
    quantity: bigint("quantity", { mode: "number" }).notNull(),
    /** The sum of the meter reports created for this hour so far. */
    reported: bigint("reported", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.meter, t.hour] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    index("usage_hourly_unreported_idx").on(t.tenantId, t.hour).where(sql`${t.quantity} > ${t.reported}`),
    check("usage_hourly_reported_bounds", sql`${t.reported} >= 0 and ${t.reported} <= ${t.quantity}`),
    check("usage_hourly_on_the_hour", sql`date_trunc('hour', ${t.hour}) = ${t.hour}`),
  ],
);

/**
 * pending and sent: on their way; confirmed: Stripe accepted the event; rejected: Stripe accepted
 * it, then reported it invalid when processing it (its error report), so no invoice counts it;
 * unbillable: no invoice can include it (too old for Stripe, before the subscription, customer
 * deleted), so it is never sent (again).
 */
export const REPORT_STATES = ["pending", "sent", "confirmed", "rejected", "unbillable"] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/**
 * Why a report can never reach an invoice: its hour is beyond Stripe's 35 days, it lies before the
 * subscription started, or Stripe no longer knows the customer.
 */
export const UNBILLABLE_REASONS = ["too_old", "before_subscription", "customer_deleted"] as const;
export type UnbillableReason = (typeof UNBILLABLE_REASONS)[number];

/**
 * One Billing Meter event: a tenant's usage of one meter in one hour. The first report of an hour
 * has sequence 1; usage recorded after it was created goes into the next sequence, never into a
 * changed quantity. The identifier is derived from tenant, meter, hour and sequence, so a resend
 * is always the same event. pending: created, not yet sent; sent: a request left (its outcome
 * unknown); confirmed: Stripe answered with the event; unbillable: the sync decided that no invoice
 * can include it (the reason says why), so it is never sent (again).
 */
export const meterReports = pgTable(
  "meter_reports",
  {
    tenantId: tenantId(),
    meter: text("meter", { enum: METERS }).notNull(),
    hour: timestampTz("hour").notNull(),
    seq: integer("seq").notNull(),
    identifier: text("identifier").notNull(),
    quantity: bigint("quantity", { mode: "number" }).notNull(),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    state: text("state", { enum: REPORT_STATES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    unbillableReason: text("unbillable_reason", { enum: UNBILLABLE_REASONS }),
    createdAt: createdAt(),
    sentAt: timestampTz("sent_at"),
    confirmedAt: timestampTz("confirmed_at"),
    /** Stripe's error code and message, when its error report named this report. */
    rejectedReason: text("rejected_reason"),
    rejectedAt: timestampTz("rejected_at"),
    /** The Stripe event that rejected it: the same event delivered again changes nothing. */
    rejectedByEvent: text("rejected_by_event"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.meter, t.hour, t.seq] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("meter_reports_identifier_key").on(t.identifier),
    index("meter_reports_open_idx").on(t.tenantId, t.createdAt).where(sql`${t.state} in ('pending','sent')`),
    check("meter_reports_quantity_positive", sql`${t.quantity} > 0`),
    // Stripe's limit for an event identifier; the sync builds them in SQL (usage-sync-plan.ts).
    check("meter_reports_identifier_length", sql`length(${t.identifier}) <= 100`),
    check("meter_reports_state_valid", sql`${t.state} in ('pending','sent','confirmed','rejected','unbillable')`),
    check(
      "meter_reports_unbillable_reason_valid",
      sql`(${t.state} = 'unbillable') = (${t.unbillableReason} is not null) and (${t.unbillableReason} is null or ${t.unbillableReason} in ('too_old','before_subscription','customer_deleted'))`,
    ),
  ],
);

/**
 * A plan, managed by the platform's operators: a monthly base price, metered prices and the
 * entitlements that quotas check. Amounts are integers in the minor unit of the currency; a null
 * limit means no limit. Platform table: tenants read it, operators change it.
 */
export const plans = pgTable(
  "plans",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    currency: text("currency").notNull(),
    baseAmount: integer("base_amount").notNull(),
    /** Per 1,000 points ingested (a started thousand counts). */
    pointsAmountPer1000: integer("points_amount_per_1000").notNull(),
    predictionAmount: integer("prediction_amount").notNull(),
    trainingRunAmount: integer("training_run_amount").notNull(),
    pointsPerDay: bigint("points_per_day", { mode: "number" }),
    predictionsPerDay: integer("predictions_per_day"),
    trainingRunsPerDay: integer("training_runs_per_day"),
    maxAssets: integer("max_assets"),
    maxModels: integer("max_models"),
    /** Distinct telemetry series (measurement + tag set) the tenant may create; null: the platform default. */
    maxSeries: integer("max_series"),
    retentionDays: integer("retention_days").notNull(),
    /** GraphQL cost points per minute for each member and API key; null: GRAPHQL_COST_PER_MINUTE. */
    graphqlCostPerMinute: integer("graphql_cost_per_minute"),
    active: boolean("active").notNull().default(true),
    /** The free tier: the plan of every tenant without a live subscription; never sold through Stripe. */
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestampTz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("plans_code_key").on(t.code),
    uniqueIndex("plans_one_default").on(t.isDefault).where(sql`${t.isDefault}`),
    check("plans_code_format", sql`${t.code} ~ '^[a-z0-9][a-z0-9_-]{0,39}$'`),
    check("plans_currency_format", sql`${t.currency} ~ '^[a-z]{3}$'`),
    check(
      "plans_amounts_non_negative",
      sql`${t.baseAmount} >= 0 and ${t.pointsAmountPer1000} >= 0 and ${t.predictionAmount} >= 0 and ${t.trainingRunAmount} >= 0`,
    ),
    check(
      "plans_limits_non_negative",
      sql`coalesce(${t.pointsPerDay}, 0) >= 0 and coalesce(${t.predictionsPerDay}, 0) >= 0 and coalesce(${t.trainingRunsPerDay}, 0) >= 0 and coalesce(${t.maxAssets}, 0) >= 0 and coalesce(${t.maxModels}, 0) >= 0`,
    ),
    check("plans_retention_positive", sql`${t.retentionDays} between 1 and 3650`),
    check("plans_graphql_cost_positive", sql`coalesce(${t.graphqlCostPerMinute}, 1) >= 1`),
  ],
);

export const PRICE_COMPONENTS = ["base", ...METERS] as const;
export type PriceComponent = (typeof PRICE_COMPONENTS)[number];

/**
 * The Stripe side of the catalogue: one product per plan, one price per plan, component and
 * amount (Stripe prices are immutable, so a changed amount is a new price under the same lookup
 * key), one Billing Meter per meter. A metered component has a second price per plan on the
 * meter's pre-aggregated twin (`hourly`, lookup key `pdm_<code>_<component>_hourly`) once the twin
 * exists. Written by the catalogue sync only.
 */
export const stripeProducts = pgTable("stripe_products", {
  planId: text("plan_id")
    .primaryKey()
    .references(() => plans.id),
  stripeProductId: text("stripe_product_id").notNull(),
  /** A hash of the name, active flag and metadata last sent to Stripe; null when never recorded. */
  syncedFingerprint: text("synced_fingerprint"),
  syncedAt: createdAt(),
});

export const stripePrices = pgTable(
  "stripe_prices",
  {
    planId: text("plan_id")
      .notNull()
      .references(() => plans.id),
    component: text("component", { enum: PRICE_COMPONENTS }).notNull(),
    lookupKey: text("lookup_key").notNull(),
    currency: text("currency").notNull(),
    unitAmount: integer("unit_amount").notNull(),
    stripePriceId: text("stripe_price_id").notNull(),
    active: boolean("active").notNull().default(true),
    /** A price on the component's pre-aggregated hourly meter (never for the base price). */
    hourly: boolean("hourly").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.component, t.hourly, t.currency, t.unitAmount] }),
    uniqueIndex("stripe_prices_active_key").on(t.planId, t.component, t.hourly).where(sql`${t.active}`),
    check("stripe_prices_hourly_metered", sql`not (${t.hourly} and ${t.component} = 'base')`),
  ],
);

export const stripeMeters = pgTable("stripe_meters", {
  meter: text("meter", { enum: METERS }).primaryKey(),
  eventName: text("event_name").notNull(),
  stripeMeterId: text("stripe_meter_id").notNull(),
  /** The meter's pre-aggregated twin (`event_time_window: hour`): each event is an hour's running total. */
  hourlyEventName: text("hourly_event_name"),
  hourlyStripeMeterId: text("hourly_stripe_meter_id"),
  syncedAt: createdAt(),
});

/**
 * A tenant's Stripe customer and subscription, as the verified webhooks last described it.
 * Each kind of event carries the Stripe time of the newest one applied, so an older event that
 * arrives late changes nothing.
 */
export const billingAccounts = pgTable(
  "billing_accounts",
  {
    tenantId: tenantId().primaryKey(),
    stripeCustomerId: text("stripe_customer_id"),
    planId: text("plan_id").references(() => plans.id),
    stripeSubscriptionId: text("stripe_subscription_id"),
    subscriptionStatus: text("subscription_status"),
    currentPeriodStart: timestampTz("current_period_start"),
    currentPeriodEnd: timestampTz("current_period_end"),
    /** When the subscription started (Stripe's start_date): usage of earlier hours is on no invoice. */
    subscriptionStartedAt: timestampTz("subscription_started_at"),
    subscriptionEventAt: timestampTz("subscription_event_at"),
    invoiceEventAt: timestampTz("invoice_event_at"),
    /** Since when a payment is missing; the grace period runs from here. */
    pastDueSince: timestampTz("past_due_since"),
    cancelledAt: timestampTz("cancelled_at"),
    /**
     * The first hour whose usage goes to the pre-aggregated meters (an hour's running total per
     * event); earlier hours stay on the per-event meters. Null: all hours go to the per-event meters.
     */
    hourlyMetersFrom: timestampTz("hourly_meters_from"),
    updatedAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("billing_accounts_customer_key").on(t.stripeCustomerId),
    check("billing_accounts_hourly_meters_from_hour", sql`date_trunc('hour', ${t.hourlyMetersFrom}) = ${t.hourlyMetersFrom}`),
  ],
);

/** Every verified Stripe event, stored by its id before it is applied, so each applies once. */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    tenantId: tenantId(),
    id: text("id").notNull(),
    type: text("type").notNull(),
    /** Stripe's creation time of the event: the order events are applied in. */
    stripeCreatedAt: timestampTz("stripe_created_at").notNull(),
    /** applied, or stale (an older event than one already applied), or ignored (a type not handled). */
    outcome: text("outcome").notNull(),
    receivedAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    uniqueIndex("stripe_events_id_key").on(t.id),
  ],
);
