import { useQuery } from "@tanstack/react-query";
import { graphql } from "../gql";
import { memberRequest } from "./api";

export const AssetOptionsDocument = graphql(`
  query PortalAssetOptions($first: Int!) {
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

/** The most assets a filter or form lists; a link may still name any asset (`?asset=<id>`). */
export const ASSET_OPTIONS = 100;

/** The tenant's first assets, to choose from in a filter or a form. */
export function useAssetOptions(tenantId: string, enabled = true) {
  return useQuery({
    queryKey: ["asset-options", tenantId],
    queryFn: () => memberRequest(AssetOptionsDocument, { first: ASSET_OPTIONS }).then((r) => r.assets.edges.map((e) => e.node)),
    enabled: tenantId !== "" && enabled,
  });
}
