import { createRoute, Link } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useMaintenanceAsset } from "../features/maintenance/api/assets";
import { MaintenanceLog } from "../features/maintenance/components/maintenance-log";
import { type MaintenanceSearch, validateMaintenanceSearch } from "../features/maintenance/lib/search";
import { useCurrentMember } from "../features/tenants/api/current-member";
import { isNotFound } from "../lib/graphql";
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

  if (asset.isError && isNotFound(asset.error)) {
    return (
      <section aria-labelledby="asset-maintenance-title" className="page">
        <title>Asset not found · Predictive maintenance</title>
        <h1 id="asset-maintenance-title">Asset not found</h1>
        <p>
          This company has no asset with that id.{" "}
          <Link to="/maintenance" search={{}}>
            Back to the maintenance log
          </Link>
          .
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="asset-maintenance-title" className="page">
      <title>{`${asset.data ? `${asset.data.name} maintenance` : "Maintenance"} · Predictive maintenance`}</title>
      <p className="crumbs">
        <Link to="/maintenance" search={{}}>
          Maintenance
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
      <h1 id="asset-maintenance-title">{asset.data ? `Maintenance log: ${asset.data.name}` : "Maintenance log"}</h1>
      {asset.isPending && <p role="status">Loading the asset…</p>}
      {asset.isError && (
        <>
          <ErrorNotice error={asset.error} title="Could not load the asset" />
          <button type="button" onClick={() => asset.refetch()}>
            Try again
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
