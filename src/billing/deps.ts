import type Stripe from "stripe";
import type { Config } from "../config.js";
import type { CallServices } from "../core/calls.js";
import type { Clock } from "../core/context.js";

/** What billing's tenant verbs read: the grace period after a failed payment, and the time. */
export interface BillingDeps {
  /** Days a tenant keeps writing after a payment failed (BILLING_GRACE_DAYS). */
  readonly billingGraceDays: number;
  readonly clock: Clock;
}

/** What the verbs that talk to Stripe use besides: the client, and where Stripe's pages send the customer back to. */
export interface StripeDeps {
  readonly stripe: Stripe;
  readonly config: Pick<Config, "PORTAL_URL" | "BILLING_HOURLY_METERS">;
}

export type CheckoutDeps = BillingDeps & StripeDeps;

/**
 * Told after a Stripe event moved a tenant to a plan with another retention, once that is
 * committed: telemetry applies it to the tenant's database (the process wires it).
 */
export type RetentionChanged = (change: { readonly tenantId: string; readonly retentionDays: number }) => Promise<void>;

/** What the Stripe webhook uses: it acts for no principal (see webhook.ts). */
export interface WebhookDeps {
  readonly db: CallServices["db"];
  readonly stripe: Stripe;
  readonly config: Pick<Config, "STRIPE_WEBHOOK_SECRET">;
  readonly onRetentionChanged: RetentionChanged;
}

/** What billing's resolvers and HTTP routes need of the process's services. */
export interface BillingServices extends CallServices, CheckoutDeps {
  readonly config: Pick<Config, "PORTAL_URL" | "BILLING_HOURLY_METERS" | "STRIPE_WEBHOOK_SECRET">;
  readonly onRetentionChanged: RetentionChanged;
}
