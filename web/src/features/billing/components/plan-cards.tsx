import type { ReactNode } from "react";
import { useFormat, useT } from "../../../lib/i18n";
import type { PlanOffer } from "../api/billing-overview";
import { billingMessages } from "../messages";

interface Props {
  readonly plans: readonly PlanOffer[];
  /** The plan that applies now (the subscribed one, or the free tier). */
  readonly currentPlanId: string | null;
  /** What the plan's button does, or nothing when this member may not act on it. */
  readonly action: (plan: PlanOffer) => ReactNode;
}

/** The active plans side by side: base price, usage prices and limits, in the plan's currency. */
export function PlanCards({ plans, currentPlanId, action }: Props) {
  const t = useT(billingMessages);
  const format = useFormat();
  const limit = (value: number | null | undefined) => (value === null || value === undefined ? t("plans.unlimited") : format.number(value));
  return (
    <ul className="plan-grid">
      {plans.map((plan) => {
        const money = (minor: number) => format.money(minor, plan.currency);
        const e = plan.entitlements;
        const current = plan.id === currentPlanId;
        const headingId = `plan-${plan.code}`;
        return (
          <li key={plan.id} className={current ? "plan-card current" : "plan-card"} aria-labelledby={headingId} data-plan={plan.code}>
            <h3 id={headingId}>
              {plan.name}
              {current && <span className="badge">{t("plans.current")}</span>}
            </h3>
            <p className="plan-price">{t("plans.base", { amount: money(plan.baseAmount) })}</p>
            {plan.isDefault && <p className="muted">{t("plans.free")}</p>}
            <h4>{t("plans.prices")}</h4>
            <dl className="plan-figures">
              <dt>{t("plans.points")}</dt>
              <dd>{money(plan.pointsAmountPer1000)}</dd>
              <dt>{t("plans.prediction")}</dt>
              <dd>{money(plan.predictionAmount)}</dd>
              <dt>{t("plans.training")}</dt>
              <dd>{money(plan.trainingRunAmount)}</dd>
            </dl>
            <h4>{t("plans.limits")}</h4>
            <dl className="plan-figures">
              <dt>{t("plans.pointsPerDay")}</dt>
              <dd>{limit(e.pointsPerDay)}</dd>
              <dt>{t("plans.predictionsPerDay")}</dt>
              <dd>{limit(e.predictionsPerDay)}</dd>
              <dt>{t("plans.trainingRunsPerDay")}</dt>
              <dd>{limit(e.trainingRunsPerDay)}</dd>
              <dt>{t("plans.maxAssets")}</dt>
              <dd>{limit(e.maxAssets)}</dd>
              <dt>{t("plans.maxModels")}</dt>
              <dd>{limit(e.maxModels)}</dd>
              <dt>{t("plans.maxSeries")}</dt>
              <dd>{format.number(e.maxSeries)}</dd>
              <dt>{t("plans.retention")}</dt>
              <dd>{t("plans.retentionDays", { days: format.number(e.retentionDays) })}</dd>
              <dt>{t("plans.rate")}</dt>
              <dd>
                {e.graphqlCostPerMinute === null || e.graphqlCostPerMinute === undefined
                  ? t("plans.rateDefault")
                  : format.number(e.graphqlCostPerMinute)}
              </dd>
            </dl>
            <div className="plan-action">{action(plan)}</div>
          </li>
        );
      })}
    </ul>
  );
}
