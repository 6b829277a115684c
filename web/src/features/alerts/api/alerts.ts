import { type InfiniteData, infiniteQueryOptions, type QueryClient, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { AlertRowFragment, PortalAlertsQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";
import { type AlertsSearch, filterVariables, matchesFilters } from "../lib/search";

export const AlertRowDocument = graphql(`
  fragment AlertRow on Alert {
    id
    kind
    status
    value
    threshold
    openedAt
    resolvedAt
    acknowledgedAt
    acknowledgedByName
    assetId
    assetName
    assetExternalId
  }
`);

export const AlertsDocument = graphql(`
  query PortalAlerts($first: Int!, $after: String, $statuses: [AlertStatus!], $kinds: [AlertKind!], $assetId: ID) {
    alerts(first: $first, after: $after, statuses: $statuses, kinds: $kinds, assetId: $assetId) {
      edges {
        node {
          ...AlertRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type AlertRow = AlertRowFragment;
type AlertPage = PortalAlertsQuery["alerts"];

export const ALERTS_PAGE_SIZE = 25;

const alertsKey = (tenantId: string, search: AlertsSearch) =>
  ["alerts", tenantId, search.status ?? null, search.kind ?? null, search.asset ?? null] as const;

export const alertsQuery = (tenantId: string, search: AlertsSearch) =>
  infiniteQueryOptions({
    queryKey: alertsKey(tenantId, search),
    queryFn: ({ pageParam }) =>
      memberRequest(AlertsDocument, { first: ALERTS_PAGE_SIZE, after: pageParam, ...filterVariables(search) }).then((r) => r.alerts),
    initialPageParam: null as string | null,
    getNextPageParam: (last: AlertPage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    enabled: tenantId !== "",
  });

/** The inbox, newest first, one page of 25 after another ("Load more"). */
export function useAlerts(tenantId: string, search: AlertsSearch) {
  return useInfiniteQuery(alertsQuery(tenantId, search));
}

const mapRows = (data: InfiniteData<AlertPage, string | null>, map: (row: AlertRow) => AlertRow) => ({
  ...data,
  pages: data.pages.map((page) => ({ ...page, edges: page.edges.map((e) => ({ ...e, node: map(e.node) })) })),
});

/** A new alert on top of the list the filters show, unless the list holds it already (or is still loading). */
export function prependAlert(queryClient: QueryClient, tenantId: string, search: AlertsSearch, alert: AlertRow): boolean {
  if (!matchesFilters(alert, search)) return false;
  let added = false;
  queryClient.setQueryData(alertsQuery(tenantId, search).queryKey, (data) => {
    if (!data || data.pages.some((p) => p.edges.some((e) => e.node.id === alert.id))) return data;
    added = true;
    const [first, ...rest] = data.pages;
    if (!first) return data;
    return { ...data, pages: [{ ...first, edges: [{ node: alert }, ...first.edges] }, ...rest] };
  });
  return added;
}

/** The alerts an operation changed, in every cached list of the tenant. */
export function replaceAlerts(queryClient: QueryClient, tenantId: string, changed: readonly AlertRow[]): void {
  const byId = new Map(changed.map((a) => [a.id, a]));
  queryClient.setQueriesData<InfiniteData<AlertPage, string | null>>({ queryKey: ["alerts", tenantId] }, (data) =>
    data ? mapRows(data, (r) => byId.get(r.id) ?? r) : data,
  );
}
