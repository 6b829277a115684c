import { createRoute, Link } from "@tanstack/react-router";
import { ErrorNotice } from "../components/error-notice";
import { useFleetAssets } from "../features/fleet/api/assets";
import { AssetTable } from "../features/fleet/components/asset-table";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

export interface FleetSearch {
  /** The cursor of the page shown (the endCursor of the one before); absent: the first page. */
  after?: string;
}

function FleetPage() {
  const session = useSession();
  const { after } = fleetRoute.useSearch();
  const assets = useFleetAssets(session?.tenantId ?? "", after);
  const edges = assets.data?.edges ?? [];
  return (
    <section aria-labelledby="fleet-title" className="page">
      <title>Fleet · Predictive maintenance</title>
      <h1 id="fleet-title">Fleet</h1>
      {assets.isPending && <p role="status">Loading assets…</p>}
      {assets.isError && (
        <>
          <ErrorNotice error={assets.error} title="Could not load the assets" />
          <button type="button" onClick={() => assets.refetch()}>
            Try again
          </button>
        </>
      )}
      {assets.isSuccess && edges.length === 0 && (
        <div className="empty" role="status">
          <p className="notice-title">No assets yet</p>
          <p>Machines appear here once your integration creates them through the API (createAsset).</p>
        </div>
      )}
      {edges.length > 0 && (
        <>
          <AssetTable assets={edges.map((e) => e.node)} />
          <nav aria-label="Pages" className="pager">
            {after && (
              <Link to="/fleet" search={{}}>
                First page
              </Link>
            )}
            {assets.data?.pageInfo.hasNextPage && assets.data.pageInfo.endCursor && (
              <Link to="/fleet" search={{ after: assets.data.pageInfo.endCursor }}>
                Next page
              </Link>
            )}
          </nav>
        </>
      )}
    </section>
  );
}

export const fleetRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/fleet",
  validateSearch: (search: Record<string, unknown>): FleetSearch =>
    typeof search.after === "string" && search.after.length > 0 ? { after: search.after } : {},
  component: FleetPage,
});
