import { createRoute, Link } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useOperatorReconciliation } from "../features/operator/api/reconciliation";
import { CsvButton } from "../features/operator/components/csv-button";
import { PeriodSelect } from "../features/operator/components/period-select";
import { ReasonGate } from "../features/operator/components/reason-gate";
import { ReconciliationTable } from "../features/operator/components/reconciliation-table";
import { RoleOnly } from "../features/operator/components/role-only";
import { type Period, rangeOf } from "../features/operator/lib/range";
import { operatorMessages } from "../features/operator/messages";
import { common, useT } from "../lib/i18n";
import { operatorShellRoute } from "./operator-shell";

function Reconciliation({ reason }: { reason: string }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const [period, setPeriod] = useState<Period>("last24h");
  const [range, setRange] = useState(() => rangeOf("last24h"));
  const totals = useOperatorReconciliation(reason, range);
  const choose = (next: Period) => {
    setPeriod(next);
    setRange(rangeOf(next));
  };
  return (
    <>
      <PeriodSelect value={period} range={range} choices={["last24h", "last7d", "thisMonth"]} onChange={choose} />
      {totals.isPending && <p role="status">{c("state.loading")}</p>}
      {totals.isError && <ErrorNotice error={totals.error} title={t("recon.error")} />}
      {totals.isSuccess &&
        (totals.data.length === 0 ? <p className="empty">{t("recon.empty")}</p> : <ReconciliationTable rows={totals.data} />)}
      {totals.data?.some((r) => r.rejectedQuantity > 0 || r.unbillableQuantity > 0) && (
        <div className="notice notice-warning" data-note="recon">
          <p>{t("recon.explain")}</p>
          <p>
            <Link to="/operator/unbillable">{t("unbillable.title")}</Link>
          </p>
        </div>
      )}
      <CsvButton kind="reconciliation" reason={reason} range={range} hint={t("recon.csvHint")} />
    </>
  );
}

function ReconciliationPage() {
  const t = useT(operatorMessages);
  const c = useT(common);
  return (
    <section className="page operator-page" aria-labelledby="operator-recon-title">
      <title>{c("app.title", { page: t("recon.title") })}</title>
      <h1 id="operator-recon-title">{t("recon.title")}</h1>
      <p className="muted">{t("recon.lead")}</p>
      <RoleOnly only="FINANCE">
        <ReasonGate scope="platform">{(reason) => <Reconciliation reason={reason} />}</ReasonGate>
      </RoleOnly>
    </section>
  );
}

export const operatorReconciliationRoute = createRoute({
  getParentRoute: () => operatorShellRoute,
  path: "/reconciliation",
  component: ReconciliationPage,
});
