import { useQueryClient } from "@tanstack/react-query";
import { createRoute } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { ErrorNotice } from "../components/error-notice";
import { type PlanOffer, useBillingOverview } from "../features/billing/api/billing-overview";
import { billingStandingKey } from "../features/billing/api/billing-standing";
import { useOpenCustomerPortal, useStartCheckout } from "../features/billing/api/stripe-redirects";
import { PlanCards } from "../features/billing/components/plan-cards";
import { SubscriptionSummary } from "../features/billing/components/subscription-summary";
import { billingMessages } from "../features/billing/messages";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

/** How long the page waits for Stripe's confirmation after Checkout before saying it is late. */
const CONFIRM_WAIT_MS = 120_000;

export interface BillingSearch {
  /** Set by Stripe's return to the portal: success_url and cancel_url of the Checkout Session. */
  readonly checkout?: "success" | "cancelled";
}

function validateBillingSearch(raw: Record<string, unknown>): BillingSearch {
  const checkout = raw.checkout === "success" || raw.checkout === "cancelled" ? raw.checkout : undefined;
  return { checkout };
}

const LIVE = new Set(["ACTIVE", "PAST_DUE", "READ_ONLY"]);

function BillingPage() {
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const { checkout } = billingRoute.useSearch();
  const t = useT(billingMessages);
  const tc = useT(common);
  const queryClient = useQueryClient();
  const member = useCurrentMember(session?.token ?? "");
  const canWrite = member.data?.viewer.scopes.includes("billing:write") ?? false;

  // Back from Checkout: ask again every 2 s until Stripe's webhooks made the subscription active, for at most two minutes.
  const [waitedOut, setWaitedOut] = useState(false);
  useEffect(() => {
    if (checkout !== "success") return;
    const timer = setTimeout(() => setWaitedOut(true), CONFIRM_WAIT_MS);
    return () => clearTimeout(timer);
  }, [checkout]);
  const [confirmed, setConfirmed] = useState(false);
  const polling = checkout === "success" && !confirmed && !waitedOut;
  const overview = useBillingOverview(tenantId, polling);
  const status = overview.data?.billingAccount.status;

  useEffect(() => {
    if (status === "ACTIVE" && checkout === "success") setConfirmed(true);
    // The banner on every page follows what this page learnt.
    if (status) void queryClient.invalidateQueries({ queryKey: billingStandingKey(tenantId) });
  }, [status, checkout, queryClient, tenantId]);

  const startCheckout = useStartCheckout();
  const customerPortal = useOpenCustomerPortal();
  const leaving = startCheckout.isPending || startCheckout.isSuccess || customerPortal.isPending || customerPortal.isSuccess;

  const title = tc("nav.billing");
  const head = (
    <>
      <title>{tc("app.title", { page: title })}</title>
      <h1 id="billing-title">{title}</h1>
      <p className="muted">{t("page.intro")}</p>
    </>
  );

  if (overview.isPending) {
    return (
      <section aria-labelledby="billing-title" className="page billing-page">
        {head}
        <p role="status">{tc("state.loading")}</p>
      </section>
    );
  }
  if (overview.isError) {
    return (
      <section aria-labelledby="billing-title" className="page billing-page">
        {head}
        <ErrorNotice error={overview.error} title={t("page.loadError")} />
        <button type="button" onClick={() => void overview.refetch()}>
          {tc("action.retry")}
        </button>
      </section>
    );
  }

  const { plans, billingAccount: account } = overview.data;
  const subscribed = LIVE.has(account.status);
  const planAction = (plan: PlanOffer) => {
    if (!canWrite || plan.isDefault) return null;
    if (subscribed) {
      if (plan.id === account.plan?.id) return null;
      return (
        <button type="button" disabled={leaving} onClick={() => customerPortal.mutate()}>
          {t("action.changePlan")}
        </button>
      );
    }
    return (
      <button type="button" className="primary" disabled={leaving} onClick={() => startCheckout.mutate(plan.code)}>
        {startCheckout.variables === plan.code && !startCheckout.isError ? t("action.opening") : t("action.subscribe", { plan: plan.name })}
      </button>
    );
  };
  const stripeError = startCheckout.error ?? customerPortal.error;

  return (
    <section aria-labelledby="billing-title" className="page billing-page">
      {head}
      <div aria-live="polite" className="billing-notice">
        {checkout === "success" &&
          (account.status === "ACTIVE" ? (
            <p className="notice notice-success">{t("checkout.active", { plan: account.plan?.name ?? "" })}</p>
          ) : waitedOut ? (
            <p className="notice notice-warning">{t("checkout.slow")}</p>
          ) : (
            <p className="notice">{t("checkout.waiting")}</p>
          ))}
        {checkout === "cancelled" && <p className="notice">{t("checkout.cancelled")}</p>}
      </div>
      <section aria-labelledby="billing-account-title">
        <h2 id="billing-account-title">{t("account.title")}</h2>
        <SubscriptionSummary account={account} />
        {account.status === "NONE" && <p>{t("account.none")}</p>}
        {account.status === "CANCELLED" && <p>{t("account.cancelled")}</p>}
        {canWrite && (account.status === "PAST_DUE" || account.status === "READ_ONLY") && <p>{t("account.payHint")}</p>}
        <div className="billing-actions">
          {canWrite && account.customerId && (
            <button type="button" disabled={leaving} onClick={() => customerPortal.mutate()}>
              {customerPortal.isIdle || customerPortal.isError ? t("action.managePayment") : t("action.opening")}
            </button>
          )}
          {checkout === "success" && waitedOut && (
            <button type="button" onClick={() => void overview.refetch()}>
              {t("action.refresh")}
            </button>
          )}
          {!canWrite && member.data && <p className="muted">{t("account.readOnlyRole")}</p>}
        </div>
        {stripeError && <ErrorNotice error={stripeError} title={t("action.error")} />}
      </section>
      <section aria-labelledby="billing-plans-title">
        <h2 id="billing-plans-title">{t("plans.title")}</h2>
        {subscribed && canWrite && <p className="muted">{t("plans.changeHint")}</p>}
        {plans.length === 0 ? (
          <p className="empty">{t("plans.empty")}</p>
        ) : (
          <PlanCards plans={plans} currentPlanId={account.plan?.id ?? null} action={planAction} />
        )}
      </section>
    </section>
  );
}

export const billingRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/billing",
  validateSearch: validateBillingSearch,
  component: BillingPage,
});

/** Every page of this area, for the route tree. */
export const billingRoutes = [billingRoute] as const;
