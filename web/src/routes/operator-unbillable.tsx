import { createRoute } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useOperatorUnbillableUsage } from "../features/operator/api/unbillable";
import { CsvButton } from "../features/operator/components/csv-button";
import { ReasonGate } from "../features/operator/components/reason-gate";
import { RoleOnly } from "../features/operator/components/role-only";
import { UnbillableTable } from "../features/operator/components/unbillable-table";
import { operatorMessages } from "../features/operator/messages";
import { common, useT } from "../lib/i18n";
import { operatorShellRoute } from "./operator-shell";

const REASONS = ["TOO_OLD", "BEFORE_SUBSCRIPTION", "CUSTOMER_DELETED"] as const;

function Unbillable({ reason }: { reason: string }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const rows = useOperatorUnbillableUsage(reason);
  return (
    <>
      {rows.isPending && <p role="status">{c("state.loading")}</p>}
      {rows.isError && <ErrorNotice error={rows.error} title={t("unbillable.error")} />}
      {rows.isSuccess && (rows.data.length === 0 ? <p className="empty">{t("unbillable.empty")}</p> : <UnbillableTable rows={rows.data} />)}
      <CsvButton kind="unbillable" reason={reason} hint={t("unbillable.csvHint")} />
    </>
  );
}

function UnbillablePage() {
  const t = useT(operatorMessages);
  const c = useT(common);
  return (
    <section className="page operator-page" aria-labelledby="operator-unbillable-title">
      <title>{c("app.title", { page: t("unbillable.title") })}</title>
      <h1 id="operator-unbillable-title">{t("unbillable.title")}</h1>
      <p className="muted">{t("unbillable.lead")}</p>
      <RoleOnly only="FINANCE">
        <details className="operator-explain">
          <summary>{t("unbillable.explain")}</summary>
          <dl>
            {REASONS.map((r) => (
              <div key={r}>
                <dt>{t(`unbillable.${r}`)}</dt>
                <dd>{t(`unbillable.${r}.text`)}</dd>
              </div>
            ))}
          </dl>
          <p>{t("unbillable.todo")}</p>
        </details>
        <ReasonGate scope="platform">{(reason) => <Unbillable reason={reason} />}</ReasonGate>
      </RoleOnly>
    </section>
  );
}

export const operatorUnbillableRoute = createRoute({
  getParentRoute: () => operatorShellRoute,
  path: "/unbillable",
  component: UnbillablePage,
});
