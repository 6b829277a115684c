import { createRoute, Link } from "@tanstack/react-router";
import { useCallback, useMemo } from "react";
import { ErrorNotice } from "../components/error-notice";
import { useAssetPath } from "../features/fleet/api/asset-path";
import { useFleetAssetTypes } from "../features/fleet/api/asset-types";
import { useFleetOverview } from "../features/fleet/api/fleet-overview";
import { FleetFilters } from "../features/fleet/components/fleet-filters";
import { FleetGrid } from "../features/fleet/components/fleet-grid";
import { type FleetSearch, isFiltered, validateFleetSearch } from "../features/fleet/lib/search";
import { fleetMessages } from "../features/fleet/messages";
import { common, type Translate, useFormat, useT } from "../lib/i18n";
import { useSession } from "../lib/session";
import { shellRoute } from "./shell";

export type { FleetSearch };

/** "Fleet › Plant North › Lathe": the way back up from a "children of" view. */
function Breadcrumb({ tenantId, search }: { tenantId: string; search: FleetSearch }) {
  const path = useAssetPath(tenantId, search.parent);
  const sort = search.sort;
  const steps = path.data ?? [];
  const here = steps[steps.length - 1];
  const t = useT(fleetMessages);
  return (
    <nav aria-label={t("fleet.crumbs")} className="crumbs fleet-crumbs">
      <ol>
        <li>
          <Link to="/fleet" search={{ sort }} activeOptions={{ exact: true }}>
            {t("fleet.wholeFleet")}
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
              {t("fleet.assetPage")}
            </Link>
          </li>
        )}
        {path.isPending && <li className="muted">…</li>}
      </ol>
      {path.isError && <ErrorNotice error={path.error} title={t("fleet.crumbsFailed")} />}
    </nav>
  );
}

/** "10,000 assets", "2 assets match", "3 child assets". */
function totalLine(t: Translate<keyof (typeof fleetMessages)["en"]>, total: number, search: FleetSearch): string {
  if (search.q || search.health || search.type) return t.plural("fleet.match", total);
  return search.parent ? t.plural("fleet.children", total) : t.plural("fleet.assets", total);
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
  const t = useT(fleetMessages);
  const c = useT(common);
  const format = useFormat();

  return (
    <section aria-labelledby="fleet-title" className="page fleet-page">
      <title>{c("app.title", { page: t("fleet.title") })}</title>
      <div className="heading-line">
        <h1 id="fleet-title">{t("fleet.title")}</h1>
        {fleet.isSuccess && (
          <p className="fleet-total" data-total={total}>
            {totalLine(t, total, search)}
          </p>
        )}
      </div>
      {search.parent && <Breadcrumb tenantId={tenantId} search={search} />}
      <FleetFilters
        search={search}
        types={types.data ?? []}
        onChange={(next, options) => void navigate({ search: validateFleetSearch({ ...next }), replace: options?.replace })}
      />
      {types.isError && !fleet.isError && <ErrorNotice error={types.error} title={t("fleet.typesFailed")} />}

      {fleet.isPending && <p role="status">{t("fleet.loading")}</p>}
      {fleet.isError && !fleet.isFetchNextPageError && (
        <>
          <ErrorNotice error={fleet.error} title={t("fleet.failed")} />
          <button type="button" onClick={() => fleet.refetch()}>
            {c("action.retry")}
          </button>
        </>
      )}
      {fleet.isSuccess && rows.length === 0 && (
        <div className="empty" role="status">
          {filtered ? (
            <>
              <p className="notice-title">
                {search.parent && !search.q && !search.health && !search.type ? t("fleet.noChildren") : t("fleet.noMatch")}
              </p>
              <p>
                <Link to="/fleet" search={{ sort: search.sort }}>
                  {t("fleet.showAll")}
                </Link>
              </p>
            </>
          ) : (
            <>
              <p className="notice-title">{t("fleet.empty")}</p>
              <p>{t("fleet.emptyText")}</p>
            </>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <>
          <FleetGrid rows={rows} total={total} sort={search.sort ?? "life"} typeNames={typeNames} onNearEnd={onNearEnd} />
          <div className="pager">
            <p className="muted" data-loaded={rows.length}>
              {t("fleet.loaded", { loaded: format.number(rows.length), total: format.number(total) })}
              {isFetchingNextPage ? t("fleet.loadingMore") : hasNextPage ? t("fleet.scrollForMore") : ""}
            </p>
          </div>
          {isFetchNextPageError && (
            <>
              <ErrorNotice error={fleet.error} title={t("fleet.moreFailed")} />
              <button type="button" onClick={() => fetchNextPage()}>
                {c("action.retry")}
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
