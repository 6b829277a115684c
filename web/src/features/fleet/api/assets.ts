import { keepPreviousData, queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const FleetAssetsDocument = graphql(`
  query PortalFleetAssets($first: Int!, $after: String) {
    assets(first: $first, after: $after) {
      edges {
        node {
          id
          name
          externalId
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const PAGE_SIZE = 50;

export const fleetAssetsQuery = (tenantId: string, after: string | undefined) =>
  queryOptions({
    queryKey: ["fleet-assets", tenantId, after ?? null],
    queryFn: () => memberRequest(FleetAssetsDocument, { first: PAGE_SIZE, after: after ?? null }).then((r) => r.assets),
    placeholderData: keepPreviousData,
    enabled: tenantId !== "",
  });

export function useFleetAssets(tenantId: string, after: string | undefined) {
  return useQuery(fleetAssetsQuery(tenantId, after));
}
