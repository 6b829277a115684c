import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const AssetHealthDocument = graphql(`
  query PortalAssetHealth($assetId: ID!) {
    assetHealth(assetId: $assetId) {
      rul {
        rul
        dataTime
      }
      anomaly {
        anomalyScore
        anomalyThreshold
        dataTime
      }
    }
  }
`);

/** The asset's latest predictions (remaining useful life, anomaly score), when a model has scored it. */
export function useAssetHealth(tenantId: string, assetId: string) {
  return useQuery({
    queryKey: ["asset-health", tenantId, assetId],
    queryFn: () => memberRequest(AssetHealthDocument, { assetId }).then((r) => r.assetHealth),
    enabled: tenantId !== "",
  });
}
