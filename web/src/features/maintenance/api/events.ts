import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { MaintenanceKind, PortalMaintenanceEventsQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const MaintenanceEventsDocument = graphql(`
  query PortalMaintenanceEvents($first: Int!, $after: String, $assetId: ID, $kinds: [MaintenanceKind!]) {
    maintenanceEvents(first: $first, after: $after, assetId: $assetId, kinds: $kinds) {
      edges {
        node {
          id
          assetId
          assetName
          assetExternalId
          kind
          occurredAt
          note
          recordedByName
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type EventPage = PortalMaintenanceEventsQuery["maintenanceEvents"];
export type MaintenanceRow = EventPage["edges"][number]["node"];

export const MAINTENANCE_PAGE_SIZE = 25;

export interface EventFilter {
  readonly assetId?: string | undefined;
  readonly kind?: MaintenanceKind | undefined;
}

export const maintenanceEventsQuery = (tenantId: string, filter: EventFilter) =>
  infiniteQueryOptions({
    queryKey: ["maintenance-events", tenantId, filter.assetId ?? null, filter.kind ?? null] as const,
    queryFn: ({ pageParam }) =>
      memberRequest(MaintenanceEventsDocument, {
        first: MAINTENANCE_PAGE_SIZE,
        after: pageParam,
        assetId: filter.assetId ?? null,
        kinds: filter.kind ? [filter.kind] : null,
      }).then((r) => r.maintenanceEvents),
    initialPageParam: null as string | null,
    getNextPageParam: (last: EventPage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    enabled: tenantId !== "",
  });

/** The log, newest first (when it happened), 25 at a time with "Load more". */
export function useMaintenanceEvents(tenantId: string, filter: EventFilter) {
  return useInfiniteQuery(maintenanceEventsQuery(tenantId, filter));
}
