import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const AssetEventsDocument = graphql(`
  query PortalAssetMaintenanceEvents($assetId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    maintenanceEvents(assetId: $assetId, from: $from, to: $to, first: 100) {
      edges {
        node {
          id
          kind
          occurredAt
          note
          recordedByName
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

/** The asset's failures, repairs and inspections in [from, to), newest first, 100 at most. */
export function useAssetMaintenanceEvents(tenantId: string, q: { assetId: string; from: Date; to: Date }, enabled: boolean) {
  return useQuery({
    queryKey: ["asset-maintenance-events", tenantId, q.assetId, q.from.toISOString(), q.to.toISOString()],
    queryFn: () =>
      memberRequest(AssetEventsDocument, { assetId: q.assetId, from: q.from.toISOString(), to: q.to.toISOString() }).then((r) => ({
        events: r.maintenanceEvents.edges.map((e) => e.node),
        truncated: r.maintenanceEvents.pageInfo.hasNextPage,
      })),
    placeholderData: keepPreviousData,
    enabled: enabled && tenantId !== "",
  });
}
