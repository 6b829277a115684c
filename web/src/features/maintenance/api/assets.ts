import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const MaintenanceAssetOptionsDocument = graphql(`
  query PortalMaintenanceAssetOptions($first: Int!) {
    assets(first: $first) {
      edges {
        node {
          id
          name
          externalId
        }
      }
    }
  }
`);

export const MaintenanceAssetDocument = graphql(`
  query PortalMaintenanceAsset($id: ID!) {
    asset(id: $id) {
      id
      name
      externalId
    }
  }
`);

/** The most assets the filter and the form list; a link may still name any asset (`?asset=<id>`). */
export const ASSET_OPTIONS = 100;

export function useMaintenanceAssetOptions(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["maintenance-asset-options", tenantId],
    queryFn: () => memberRequest(MaintenanceAssetOptionsDocument, { first: ASSET_OPTIONS }).then((r) => r.assets.edges.map((e) => e.node)),
    enabled: tenantId !== "" && enabled,
  });
}

/** One asset's name for its log's heading; another company's id answers NOT_FOUND. */
export function useMaintenanceAsset(tenantId: string, assetId: string) {
  return useQuery({
    queryKey: ["maintenance-asset", tenantId, assetId],
    queryFn: () => memberRequest(MaintenanceAssetDocument, { id: assetId }).then((r) => r.asset),
    enabled: tenantId !== "",
    retry: false,
  });
}
