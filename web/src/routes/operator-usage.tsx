import { createRoute } from "@tanstack/react-router";
import { useState } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useOperatorUsage } from "../features/operator/api/usage";
import { CsvButton } from "../features/operator/components/csv-button";
import { PeriodSelect } from "../features/operator/components/period-select";
import { ReasonGate } from "../features/operator/components/reason-gate";
import { RoleOnly } from "../features/operator/components/role-only";
import { UsageTable } from "../features/operator/components/usage-table";
import { type Period, rangeOf } from "../features/operator/lib/range";
import { operatorMessages } from "../features/operator/messages";
import { common, useT } from "../lib/i18n";
import { operatorShellRoute } from "./operator-shell";

function Usage({ reason }: { reason: string }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const [period, setPeriod] = useState<Period>("thisMonth");
  const [range, setRange] = useState(() => rangeOf("thisMonth"));
  const usage = useOperatorUsage(reason, range);
  const choose = (next: Period) => {
    setPeriod(next);
    setRange(rangeOf(next));
  };
  return (
    <>
      <PeriodSelect value={period} range={range} choices={["thisMonth", "lastMonth"]} onChange={choose} />
      {usage.isPending && <p role="status">{c("state.loading")}</p>}
      {usage.isError && <ErrorNotice error={usage.error} title={t("usage.error")} />}
      {usage.isSuccess && (usage.data.length === 0 ? <p className="empty">{t("usage.empty")}</p> : <UsageTable rows={usage.data} />)}
      <CsvButton kind="usage" reason={reason} range={range} hint={t("usage.csvHint")} />
    </>
  );
}

function UsagePage() {
  const t = useT(operatorMessages);
  const c = useT(common);
  return (
    <section className="page operator-page" aria-labelledby="operator-usage-title">
      <title>{c("app.title", { page: t("usage.title") })}</title>
      <h1 id="operator-usage-title">{t("usage.title")}</h1>
      <p className="muted">{t("usage.lead")}</p>
      <RoleOnly only="FINANCE">
        <ReasonGate scope="platform">{(reason) => <Usage reason={reason} />}</ReasonGate>
      </RoleOnly>
    </section>
  );
}

export const operatorUsageRoute = createRoute({
  getParentRoute: () => operatorShellRoute,
  path: "/usage",
  component: UsagePage,
});
