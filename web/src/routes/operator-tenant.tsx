import { createRoute, Link } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useOperatorTenant } from "../features/operator/api/tenant";
import { ReasonGate } from "../features/operator/components/reason-gate";
import { RoleOnly } from "../features/operator/components/role-only";
import { TenantDetail } from "../features/operator/components/tenant-detail";
import { operatorMessages } from "../features/operator/messages";
import { common, useT } from "../lib/i18n";
import { operatorShellRoute } from "./operator-shell";

function Tenant({ tenantId, reason }: { tenantId: string; reason: string }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const view = useOperatorTenant(tenantId, reason);
  if (view.isPending) return <p role="status">{c("state.loading")}</p>;
  if (view.isError) return <ErrorNotice error={view.error} title={t("tenant.error")} />;
  return (
    <>
      <h2 className="tenant-name">
        {view.data.operatorTenant.tenant.name} <code className="muted">{tenantId}</code>
      </h2>
      <TenantDetail view={view.data} />
    </>
  );
}

function TenantPage() {
  const { tenantId } = operatorTenantRoute.useParams();
  const t = useT(operatorMessages);
  const c = useT(common);
  return (
    <section className="page operator-page" aria-labelledby="operator-tenant-title">
      <title>{c("app.title", { page: t("tenant.title") })}</title>
      <p className="crumbs">
        <Link to="/operator/tenants">{t("tenant.back")}</Link>
      </p>
      <h1 id="operator-tenant-title">{t("tenants.fleetLink")}</h1>
      <RoleOnly only="SUPPORT">
        <ReasonGate key={tenantId} scope="tenant">
          {(reason) => <Tenant tenantId={tenantId} reason={reason} />}
        </ReasonGate>
      </RoleOnly>
    </section>
  );
}

export const operatorTenantRoute = createRoute({
  getParentRoute: () => operatorShellRoute,
  path: "/tenants/$tenantId",
  component: TenantPage,
});
