import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const LatestTelemetryDocument = graphql(`
  query PortalLatestTelemetry($assetId: ID!) {
    latestTelemetry(assetId: $assetId) {
      sensor
      time
      value
    }
  }
`);

/** Each sensor's last value, with its own time. */
export function useLatestTelemetry(tenantId: string, assetId: string, enabled = true) {
  return useQuery({
    queryKey: ["latest-telemetry", tenantId, assetId],
    queryFn: () => memberRequest(LatestTelemetryDocument, { assetId }).then((r) => r.latestTelemetry),
    enabled: enabled && tenantId !== "",
  });
}
