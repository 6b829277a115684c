import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalModelsOverviewQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const ModelsOverviewDocument = graphql(`
  query PortalModelsOverview {
    assetTypes(first: 100) {
      edges {
        node {
          id
          name
          key
        }
      }
    }
    models {
      id
      assetTypeId
      task
      champion {
        id
        version
        metrics
      }
      challenger {
        id
        version
        metrics
      }
    }
  }
`);

export type OverviewModel = PortalModelsOverviewQuery["models"][number];

/** Every asset type of the tenant with its models (at most one per task). */
export function useModelsOverview(tenantId: string) {
  return useQuery(
    queryOptions({
      queryKey: ["models", tenantId, "overview"] as const,
      queryFn: () => memberRequest(ModelsOverviewDocument, {}),
      enabled: tenantId !== "",
    }),
  );
}
