import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const MaintenanceAssetDocument = graphql(`
  query PortalMaintenanceAsset($id: ID!) {
    asset(id: $id) {
      id
      name
      externalId
    }
  }
`);

/** One asset's name for its log's heading; another company's id answers NOT_FOUND. */
export function useMaintenanceAsset(tenantId: string, assetId: string) {
  return useQuery({
    queryKey: ["maintenance-asset", tenantId, assetId],
    queryFn: () => memberRequest(MaintenanceAssetDocument, { id: assetId }).then((r) => r.asset),
    enabled: tenantId !== "",
    retry: false,
  });
}
