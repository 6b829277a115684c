import { useQueryClient } from "@tanstack/react-query";
import { createRoute, Link } from "@tanstack/react-router";
import { useMemo } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { useInvoicePreview } from "../features/usage/api/invoice-preview";
import { usePeriodUsage } from "../features/usage/api/period-usage";
import { useUsageQuota } from "../features/usage/api/quota";
import { useReconciliation } from "../features/usage/api/reconciliation";
import { CsvButton } from "../features/usage/components/csv-button";
import { InvoicePreviewTable } from "../features/usage/components/invoice-preview";
import { ReconciliationTables } from "../features/usage/components/reconciliation";
import { CountTable, MeterTable } from "../features/usage/components/usage-tables";
import { billingPeriod, reconciliationRange, usageRange } from "../features/usage/lib/period";
import { usageMessages } from "../features/usage/messages";
import { common, useFormat, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

/** Finance and owners check what is billed against what was counted; admins see usage and the invoice. */
const RECONCILING_ROLES = new Set(["OWNER", "FINANCE"]);

function Retry({ onRetry }: { onRetry: () => void }) {
  const c = useT(common);
  return (
    <button type="button" onClick={onRetry}>
      {c("action.retry")}
    </button>
  );
}

function UsagePage() {
  const t = useT(usageMessages);
  const c = useT(common);
  const f = useFormat();
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const role = useCurrentMember(session?.token ?? "").data?.viewer.role ?? undefined;
  const queryClient = useQueryClient();
  const quota = useUsageQuota(tenantId);
  const now = useMemo(() => (quota.dataUpdatedAt > 0 ? quota.dataUpdatedAt : Date.now()), [quota.dataUpdatedAt]);
  const period = quota.data ? billingPeriod(quota.data.billingAccount, now) : undefined;
  const range = period ? usageRange(period, now) : undefined;
  const reconRange = period ? reconciliationRange(period, now) : undefined;
  const usage = usePeriodUsage(tenantId, range);
  const invoice = useInvoicePreview(tenantId);
  const reconciles = role !== undefined && RECONCILING_ROLES.has(role);
  const reconciliation = useReconciliation(tenantId, reconRange, reconciles);
  const plan = quota.data?.quotaUse.plan;
  const nothingUsed =
    usage.data !== undefined &&
    Object.values(usage.data).every((n) => n === 0) &&
    (quota.data?.quotaUse.daily.every((d) => d.used === 0) ?? false);

  return (
    <section aria-labelledby="usage-title" className="page usage-page">
      <title>{c("app.title", { page: t("page.title") })}</title>
      <div className="usage-heading">
        <h1 id="usage-title">{t("page.title")}</h1>
        <button
          type="button"
          onClick={() => queryClient.invalidateQueries({ queryKey: ["usage", tenantId] })}
          disabled={quota.isFetching || usage.isFetching}
        >
          {t("page.refresh")}
        </button>
      </div>
      <p className="muted">{t("page.intro")}</p>

      {quota.isPending && <p role="status">{c("state.loading")}</p>}
      {quota.isError && (
        <>
          <ErrorNotice error={quota.error} title={t("usage.loadError")} />
          <Retry onRetry={() => quota.refetch()} />
        </>
      )}

      {quota.data && period && range && (
        <>
          <p className="usage-facts" data-plan={plan?.code ?? ""} data-period-from={period.from} data-period-to={period.to}>
            <strong>{plan ? t(plan.isDefault ? "page.freeTier" : "page.plan", { plan: plan.name }) : t("page.noPlan")}</strong>
            {" · "}
            {t("page.period", { from: f.dateTime(period.from, "UTC"), to: f.dateTime(period.to, "UTC") })}
          </p>

          <section aria-labelledby="usage-meters" className="usage-section">
            <div className="usage-section-head">
              <h2 id="usage-meters">{t("usage.heading")}</h2>
              <CsvButton csv={{ kind: "usage", ...range }} describedBy="usage-meters" />
            </div>
            {usage.isPending && <p role="status">{c("state.loading")}</p>}
            {usage.isError && (
              <>
                <ErrorNotice error={usage.error} title={t("usage.loadError")} />
                <Retry onRetry={() => usage.refetch()} />
              </>
            )}
            {nothingUsed && (
              <div className="empty" role="status" data-empty="usage">
                <p>{t("empty.usage")}</p>
              </div>
            )}
            {usage.data && <MeterTable daily={quota.data.quotaUse.daily} period={usage.data} resetsAt={quota.data.quotaUse.resetsAt} />}
            <h3 id="usage-counts">{t("counts.heading")}</h3>
            <CountTable counts={quota.data.quotaUse.counts} />
            <p className="muted usage-legend">{t("level.legend")}</p>
          </section>

          <section aria-labelledby="usage-invoice" className="usage-section">
            <div className="usage-section-head">
              <h2 id="usage-invoice">{t("invoice.heading")}</h2>
              {invoice.data && <CsvButton csv={{ kind: "invoice-preview" }} describedBy="usage-invoice" />}
            </div>
            {invoice.isPending && <p role="status">{c("state.loading")}</p>}
            {invoice.isError && (
              <>
                <ErrorNotice error={invoice.error} title={t("invoice.loadError")} />
                <Retry onRetry={() => invoice.refetch()} />
              </>
            )}
            {invoice.data === null && (
              <div className="empty" role="status" data-empty="invoice">
                <p className="notice-title">{t("invoice.noSubscription")}</p>
                <p>{t("invoice.noSubscriptionText")}</p>
                <Link to="/billing">{t("invoice.toBilling")}</Link>
              </div>
            )}
            {invoice.data && <InvoicePreviewTable preview={invoice.data} />}
          </section>

          {reconciles && reconRange && (
            <section aria-labelledby="usage-reconciliation" className="usage-section">
              <div className="usage-section-head">
                <h2 id="usage-reconciliation">{t("recon.heading")}</h2>
                <CsvButton csv={{ kind: "reconciliation", ...reconRange }} describedBy="usage-reconciliation" />
              </div>
              <p className="muted">
                {t("recon.caption", { from: f.dateTime(reconRange.from, "UTC"), to: f.dateTime(reconRange.to, "UTC") })}
              </p>
              {reconciliation.isPending && <p role="status">{c("state.loading")}</p>}
              {reconciliation.isError && (
                <>
                  <ErrorNotice error={reconciliation.error} title={t("recon.loadError")} />
                  <Retry onRetry={() => reconciliation.refetch()} />
                </>
              )}
              {reconciliation.data && <ReconciliationTables reconciliation={reconciliation.data} />}
            </section>
          )}
        </>
      )}
    </section>
  );
}

export const usageRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/usage",
  component: UsagePage,
});

/** Every page of this area, for the route tree. */
export const usageRoutes = [usageRoute] as const;
