import { createRoute } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useOperatorTenants } from "../features/operator/api/tenants";
import { ReasonGate } from "../features/operator/components/reason-gate";
import { TenantList } from "../features/operator/components/tenant-list";
import { type OperatorRole, useOperatorSession } from "../features/operator/lib/session";
import { operatorMessages } from "../features/operator/messages";
import { common, useT } from "../lib/i18n";
import { operatorShellRoute } from "./operator-shell";

function Tenants({ reason, role }: { reason: string; role: OperatorRole }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const tenants = useOperatorTenants(reason);
  if (tenants.isPending) return <p role="status">{c("state.loading")}</p>;
  if (tenants.isError) return <ErrorNotice error={tenants.error} title={t("tenants.error")} />;
  const rows = tenants.data.pages.flatMap((p) => p.edges.map((e) => e.node));
  if (rows.length === 0) return <p className="empty">{t("tenants.empty")}</p>;
  return (
    <>
      <TenantList rows={rows} role={role} />
      {tenants.hasNextPage && (
        <div className="pager">
          <button type="button" onClick={() => void tenants.fetchNextPage()} disabled={tenants.isFetchingNextPage}>
            {tenants.isFetchingNextPage ? t("action.loadingMore") : t("action.loadMore")}
          </button>
        </div>
      )}
    </>
  );
}

function TenantsPage() {
  const t = useT(operatorMessages);
  const c = useT(common);
  const role = useOperatorSession()?.operator.role;
  if (!role) return null;
  return (
    <section className="page operator-page" aria-labelledby="operator-tenants-title">
      <title>{c("app.title", { page: t("tenants.title") })}</title>
      <h1 id="operator-tenants-title">{t("tenants.title")}</h1>
      <p className="muted">{t(`tenants.lead.${role}`)}</p>
      <ReasonGate scope="platform">{(reason) => <Tenants reason={reason} role={role} />}</ReasonGate>
    </section>
  );
}

export const operatorTenantsRoute = createRoute({
  getParentRoute: () => operatorShellRoute,
  path: "/tenants",
  component: TenantsPage,
});
