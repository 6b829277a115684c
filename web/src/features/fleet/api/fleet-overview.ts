import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { FleetRowFragment } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";
import { type FleetSearch, fleetVariables } from "../lib/search";

export const FleetRowDocument = graphql(`
  fragment FleetRow on FleetEntry {
    assetId
    name
    externalId
    assetTypeId
    parentId
    depth
    ancestors {
      id
      name
    }
    childCount
    health
    remainingLife {
      rul
      low
      high
      predictedAt
    }
    worstAlert {
      id
      kind
    }
    lastSeenAt
    pointsLastDay
  }
`);

/** The first page, with the count over all pages (a second statement on the server). */
export const FleetOverviewDocument = graphql(`
  query PortalFleetOverview(
    $first: Int!
    $sort: FleetSort
    $search: String
    $health: [HealthState!]
    $assetTypeId: ID
    $parentId: ID
  ) {
    fleetOverview(first: $first, sort: $sort, search: $search, health: $health, assetTypeId: $assetTypeId, parentId: $parentId) {
      totalCount
      edges {
        node {
          ...FleetRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** A later page: the count is known from the first, so it is not asked (and not counted) again. */
export const FleetOverviewMoreDocument = graphql(`
  query PortalFleetOverviewMore(
    $first: Int!
    $after: String!
    $sort: FleetSort
    $search: String
    $health: [HealthState!]
    $assetTypeId: ID
    $parentId: ID
  ) {
    fleetOverview(
      first: $first
      after: $after
      sort: $sort
      search: $search
      health: $health
      assetTypeId: $assetTypeId
      parentId: $parentId
    ) {
      edges {
        node {
          ...FleetRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export type FleetRow = FleetRowFragment;

interface FleetPage {
  readonly totalCount: number | null;
  readonly edges: readonly { readonly node: FleetRow }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor?: string | null };
}

/** One page: the first with the count, the others behind their cursor without it. */
async function fleetPage(search: FleetSearch, after: string | null): Promise<FleetPage> {
  const vars = { first: FLEET_PAGE_SIZE, ...fleetVariables(search) };
  if (after === null) return (await memberRequest(FleetOverviewDocument, vars)).fleetOverview;
  const more = await memberRequest(FleetOverviewMoreDocument, { ...vars, after });
  return { ...more.fleetOverview, totalCount: null };
}

/**
 * Rows a page: the API allows 100. Requested cost: 26 points a row (the ancestors list counts as
 * the default 20 items), 2,601 a page, within the 5,000 one request may cost; the answer's actual
 * cost is a few points a row, and the rest is refunded.
 */
export const FLEET_PAGE_SIZE = 100;

const fleetKey = (tenantId: string, search: FleetSearch) =>
  ["fleet", tenantId, search.sort ?? null, search.q ?? null, search.health ?? null, search.type ?? null, search.parent ?? null] as const;

export const fleetOverviewQuery = (tenantId: string, search: FleetSearch) =>
  infiniteQueryOptions({
    queryKey: fleetKey(tenantId, search),
    queryFn: ({ pageParam }) => fleetPage(search, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last: FleetPage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    enabled: tenantId !== "",
  });

/** The fleet under the address's sort and filters, one page of 100 after another as the list scrolls. */
export function useFleetOverview(tenantId: string, search: FleetSearch) {
  return useInfiniteQuery(fleetOverviewQuery(tenantId, search));
}
