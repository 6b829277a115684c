import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const AssetAlertsDocument = graphql(`
  query PortalAssetAlerts($assetId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    alerts(assetId: $assetId, raisedSince: $from, raisedUntil: $to, first: 100) {
      edges {
        node {
          id
          kind
          status
          value
          threshold
          openedAt
          explanation
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

/** The alerts raised on the asset in [from, to), newest first, 100 at most. */
export function useAssetAlerts(tenantId: string, q: { assetId: string; from: Date; to: Date }, enabled: boolean) {
  return useQuery({
    queryKey: ["asset-alerts", tenantId, q.assetId, q.from.toISOString(), q.to.toISOString()],
    queryFn: () =>
      memberRequest(AssetAlertsDocument, { assetId: q.assetId, from: q.from.toISOString(), to: q.to.toISOString() }).then((r) => ({
        alerts: r.alerts.edges.map((e) => e.node),
        truncated: r.alerts.pageInfo.hasNextPage,
      })),
    placeholderData: keepPreviousData,
    enabled: enabled && tenantId !== "",
  });
}
