import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const AlertAssetOptionsDocument = graphql(`
  query PortalAlertAssetOptions($first: Int!) {
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

/** The most assets the asset filter lists; an asset further on is still filtered by a link to `?asset=<id>`. */
export const ASSET_OPTIONS = 100;

export const alertAssetOptionsQuery = (tenantId: string) =>
  queryOptions({
    queryKey: ["alert-asset-options", tenantId],
    queryFn: () => memberRequest(AlertAssetOptionsDocument, { first: ASSET_OPTIONS }).then((r) => r.assets.edges.map((e) => e.node)),
    enabled: tenantId !== "",
  });

export function useAlertAssetOptions(tenantId: string) {
  return useQuery(alertAssetOptionsQuery(tenantId));
}
