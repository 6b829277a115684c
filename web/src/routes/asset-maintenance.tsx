import { createRoute, Link } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useMaintenanceAsset } from "../features/maintenance/api/assets";
import { MaintenanceLog } from "../features/maintenance/components/maintenance-log";
import { type MaintenanceSearch, validateMaintenanceSearch } from "../features/maintenance/lib/search";
import { maintenanceMessages } from "../features/maintenance/messages";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { isNotFound } from "../lib/graphql";
import { common, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { browserTimeZone } from "../lib/wall-time";
import { shellRoute } from "./shell";

/** One asset's maintenance log; an unknown id and another company's asset alike: not found. */
function AssetMaintenancePage() {
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const { assetId } = assetMaintenanceRoute.useParams();
  const search = assetMaintenanceRoute.useSearch();
  const navigate = assetMaintenanceRoute.useNavigate();
  const member = useCurrentMember(session?.token ?? "");
  const asset = useMaintenanceAsset(tenantId, assetId);
  const canWrite = member.data?.viewer.scopes.includes("assets:write") ?? false;
  const t = useT(maintenanceMessages);
  const c = useT(common);

  if (asset.isError && isNotFound(asset.error)) {
    return (
      <section aria-labelledby="asset-maintenance-title" className="page">
        <title>{c("app.title", { page: t("asset.notFound") })}</title>
        <h1 id="asset-maintenance-title">{t("asset.notFound")}</h1>
        <p>
          {t("asset.notFoundText")}{" "}
          <Link to="/maintenance" search={{}}>
            {t("asset.back")}
          </Link>
          .
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="asset-maintenance-title" className="page">
      <title>{c("app.title", { page: asset.data ? t("log.pageTitleOf", { asset: asset.data.name }) : t("log.pageTitle") })}</title>
      <p className="crumbs">
        <Link to="/maintenance" search={{}}>
          {c("nav.maintenance")}
        </Link>{" "}
        /{" "}
        {asset.data ? (
          <Link to="/assets/$assetId" params={{ assetId }} search={{}}>
            {asset.data.name}
          </Link>
        ) : (
          assetId
        )}
      </p>
      <h1 id="asset-maintenance-title">{asset.data ? t("log.titleOf", { asset: asset.data.name }) : t("log.title")}</h1>
      {asset.isPending && <p role="status">{t("asset.loading")}</p>}
      {asset.isError && (
        <>
          <ErrorNotice error={asset.error} title={t("asset.failed")} />
          <button type="button" onClick={() => asset.refetch()}>
            {c("action.retry")}
          </button>
        </>
      )}
      {asset.data && (
        <MaintenanceLog
          tenantId={tenantId}
          asset={asset.data}
          search={{ kind: search.kind }}
          onSearch={(next: MaintenanceSearch) => void navigate({ search: { kind: next.kind } })}
          canWrite={canWrite}
          timeZone={browserTimeZone()}
        />
      )}
    </section>
  );
}

export const assetMaintenanceRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/assets/$assetId/maintenance",
  validateSearch: (search: Record<string, unknown>): Pick<MaintenanceSearch, "kind"> => {
    const { kind } = validateMaintenanceSearch(search);
    return { kind };
  },
  component: AssetMaintenancePage,
});
