import { useFormat, useT } from "../../../lib/i18n";
import type { BillingAccountView } from "../api/billing-overview";
import { billingMessages } from "../messages";

/** The subscription as Stripe's webhooks last described it: status, plan, period, an overdue payment's grace end. */
export function SubscriptionSummary({ account }: { readonly account: BillingAccountView }) {
  const t = useT(billingMessages);
  const format = useFormat();
  const plan = account.plan;
  return (
    <dl className="billing-account">
      <dt>{t("account.status")}</dt>
      <dd>
        <span className={`badge badge-status-${account.status}`} data-testid="billing-status">
          {t(`status.${account.status}`)}
        </span>
      </dd>
      <dt>{t("account.plan")}</dt>
      <dd>{plan ? (plan.isDefault ? t("account.freeTier", { plan: plan.name }) : plan.name) : t("account.noPlan")}</dd>
      {account.currentPeriodStart && account.currentPeriodEnd && account.status !== "NONE" && (
        <>
          <dt>{t("account.period")}</dt>
          <dd>{t("account.periodRange", { from: format.date(account.currentPeriodStart), to: format.date(account.currentPeriodEnd) })}</dd>
        </>
      )}
      {account.pastDueSince && (
        <>
          <dt>{t("account.pastDueSince")}</dt>
          <dd>{format.dateTime(account.pastDueSince)}</dd>
        </>
      )}
      {account.graceEndsAt && (account.status === "PAST_DUE" || account.status === "READ_ONLY") && (
        <>
          <dt>{account.status === "PAST_DUE" ? t("account.graceEnds") : t("account.graceEnded")}</dt>
          <dd>{format.dateTime(account.graceEndsAt)}</dd>
        </>
      )}
    </dl>
  );
}
