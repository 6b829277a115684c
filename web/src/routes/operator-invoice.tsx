import { createRoute, Link } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useOperatorInvoicePreview } from "../features/operator/api/invoice-preview";
import { useOperatorTenantName } from "../features/operator/api/tenant";
import { InvoiceLines } from "../features/operator/components/invoice-lines";
import { ReasonGate } from "../features/operator/components/reason-gate";
import { RoleOnly } from "../features/operator/components/role-only";
import { operatorMessages } from "../features/operator/messages";
import { ApiError } from "../lib/graphql";
import { common, useT } from "../lib/i18n";
import { operatorShellRoute } from "./operator-shell";

function Invoice({ tenantId, reason }: { tenantId: string; reason: string }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const preview = useOperatorInvoicePreview(tenantId, reason);
  const name = useOperatorTenantName(tenantId, reason);
  const heading = name.data && (
    <h2 className="tenant-name">
      {name.data} <code className="muted">{tenantId}</code>
    </h2>
  );
  if (preview.isPending) return <p role="status">{c("state.loading")}</p>;
  if (preview.isError) {
    // No subscription: nothing to preview, which is a state of the customer rather than a failure.
    if (preview.error instanceof ApiError && preview.error.code === "CONFLICT") {
      return (
        <>
          {heading}
          <p className="empty">{t("invoice.noSubscription")}</p>
        </>
      );
    }
    return <ErrorNotice error={preview.error} title={t("invoice.error")} />;
  }
  return (
    <>
      {heading}
      <InvoiceLines preview={preview.data} />
    </>
  );
}

function InvoicePage() {
  const { tenantId } = operatorInvoiceRoute.useParams();
  const t = useT(operatorMessages);
  const c = useT(common);
  return (
    <section className="page operator-page" aria-labelledby="operator-invoice-title">
      <title>{c("app.title", { page: t("invoice.title") })}</title>
      <p className="crumbs">
        <Link to="/operator/tenants">{t("tenant.back")}</Link>
      </p>
      <h1 id="operator-invoice-title">{t("invoice.title")}</h1>
      <p className="muted">{t("invoice.lead")}</p>
      <RoleOnly only="FINANCE">
        <ReasonGate key={tenantId} scope="tenant">
          {(reason) => <Invoice tenantId={tenantId} reason={reason} />}
        </ReasonGate>
      </RoleOnly>
    </section>
  );
}

export const operatorInvoiceRoute = createRoute({
  getParentRoute: () => operatorShellRoute,
  path: "/tenants/$tenantId/invoice",
  component: InvoicePage,
});
