import { createRoute, Link } from "@tanstack/react-router";
import { useCallback, useMemo } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useAssetPath } from "../features/fleet/api/asset-path";
import { useFleetAssetTypes } from "../features/fleet/api/asset-types";
import { useFleetOverview } from "../features/fleet/api/fleet-overview";
import { FleetFilters } from "../features/fleet/components/fleet-filters";
import { FleetGrid } from "../features/fleet/components/fleet-grid";
import { count } from "../features/fleet/lib/format";
import { type FleetSearch, isFiltered, validateFleetSearch } from "../features/fleet/lib/search";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

export type { FleetSearch };

/** "Fleet › Plant North › Lathe": the way back up from a "children of" view. */
function Breadcrumb({ tenantId, search }: { tenantId: string; search: FleetSearch }) {
  const path = useAssetPath(tenantId, search.parent);
  const sort = search.sort;
  const steps = path.data ?? [];
  const here = steps[steps.length - 1];
  return (
    <nav aria-label="Place in the asset tree" className="crumbs fleet-crumbs">
      <ol>
        <li>
          <Link to="/fleet" search={{ sort }} activeOptions={{ exact: true }}>
            Whole fleet
          </Link>
        </li>
        {steps.slice(0, -1).map((s) => (
          <li key={s.id}>
            <Link to="/fleet" search={{ sort, parent: s.id }} activeOptions={{ exact: true }}>
              {s.name}
            </Link>
          </li>
        ))}
        {here && (
          <li>
            <span aria-current="location">{here.name}</span>{" "}
            <Link to="/assets/$assetId" params={{ assetId: here.id }} className="small-link">
              asset page
            </Link>
          </li>
        )}
        {path.isPending && <li className="muted">…</li>}
      </ol>
      {path.isError && <ErrorNotice error={path.error} title="Could not load the place in the tree" />}
    </nav>
  );
}

/** "10,000 assets", "2 assets match", "3 child assets". */
function totalLine(total: number, search: FleetSearch): string {
  const assets = `${count(total)} ${total === 1 ? "asset" : "assets"}`;
  if (search.q || search.health || search.type) return `${assets} ${total === 1 ? "matches" : "match"}`;
  return search.parent ? `${count(total)} child ${total === 1 ? "asset" : "assets"}` : assets;
}

function FleetPage() {
  const session = useSession();
  const tenantId = session?.tenantId ?? "";
  const search = fleetRoute.useSearch();
  const navigate = fleetRoute.useNavigate();
  const fleet = useFleetOverview(tenantId, search);
  const types = useFleetAssetTypes(tenantId);
  const typeNames = useMemo(() => {
    const names = new Map((types.data ?? []).map((t) => [t.id, t.name]));
    // While the types load the column stays empty; a type beyond the first 100 shows its id.
    return (assetTypeId: string) => (types.data ? (names.get(assetTypeId) ?? assetTypeId) : "");
  }, [types.data]);
  const rows = useMemo(() => fleet.data?.pages.flatMap((p) => p.edges.map((e) => e.node)) ?? [], [fleet.data]);
  const total = fleet.data?.pages[0]?.totalCount ?? rows.length;
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = fleet;
  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage && !isFetchNextPageError) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage]);
  const filtered = isFiltered(search);

  return (
    <section aria-labelledby="fleet-title" className="page fleet-page">
      <title>Fleet · Predictive maintenance</title>
      <div className="heading-line">
        <h1 id="fleet-title">Fleet</h1>
        {fleet.isSuccess && (
          <p className="fleet-total" data-total={total}>
            {totalLine(total, search)}
          </p>
        )}
      </div>
      {search.parent && <Breadcrumb tenantId={tenantId} search={search} />}
      <FleetFilters
        search={search}
        types={types.data ?? []}
        onChange={(next, options) => void navigate({ search: validateFleetSearch({ ...next }), replace: options?.replace })}
      />
      {types.isError && !fleet.isError && <ErrorNotice error={types.error} title="Could not load the asset types" />}

      {fleet.isPending && <p role="status">Loading assets…</p>}
      {fleet.isError && !fleet.isFetchNextPageError && (
        <>
          <ErrorNotice error={fleet.error} title="Could not load the assets" />
          <button type="button" onClick={() => fleet.refetch()}>
            Try again
          </button>
        </>
      )}
      {fleet.isSuccess && rows.length === 0 && (
        <div className="empty" role="status">
          {filtered ? (
            <>
              <p className="notice-title">
                {search.parent && !search.q && !search.health && !search.type ? "No child assets" : "No assets match these filters"}
              </p>
              <p>
                <Link to="/fleet" search={{ sort: search.sort }}>
                  Show the whole fleet
                </Link>
              </p>
            </>
          ) : (
            <>
              <p className="notice-title">No assets yet</p>
              <p>Machines appear here once your integration creates them through the API (createAsset).</p>
            </>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <>
          <FleetGrid rows={rows} total={total} sort={search.sort ?? "life"} typeNames={typeNames} onNearEnd={onNearEnd} />
          <div className="pager">
            <p className="muted" data-loaded={rows.length}>
              {count(rows.length)} of {count(total)} loaded
              {isFetchingNextPage ? ", loading more…" : hasNextPage ? "; scroll for more" : ""}
            </p>
          </div>
          {isFetchNextPageError && (
            <>
              <ErrorNotice error={fleet.error} title="Could not load more assets" />
              <button type="button" onClick={() => fetchNextPage()}>
                Try again
              </button>
            </>
          )}
        </>
      )}
    </section>
  );
}

export const fleetRoute = createRoute({
  getParentRoute: () => shellRoute,
  path: "/fleet",
  validateSearch: validateFleetSearch,
  component: FleetPage,
});
