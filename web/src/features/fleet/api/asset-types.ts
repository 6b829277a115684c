import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const FleetAssetTypesDocument = graphql(`
  query PortalFleetAssetTypes {
    assetTypes(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

export interface AssetTypeOption {
  readonly id: string;
  readonly name: string;
}

export const fleetAssetTypesQuery = (tenantId: string) =>
  queryOptions({
    queryKey: ["fleet-asset-types", tenantId],
    queryFn: () => memberRequest(FleetAssetTypesDocument, {}).then((r): AssetTypeOption[] => r.assetTypes.edges.map((e) => e.node)),
    enabled: tenantId !== "",
    staleTime: 5 * 60_000,
  });

/** The tenant's asset types (the first 100): the type column's names and the type filter's choices. */
export function useFleetAssetTypes(tenantId: string) {
  return useQuery(fleetAssetTypesQuery(tenantId));
}
