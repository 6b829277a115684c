import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalModelVersionsQuery, PortalTypeModelsQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const TypeModelsDocument = graphql(`
  query PortalTypeModels($assetTypeId: ID!) {
    assetType(id: $assetTypeId) {
      id
      name
      key
    }
    models(assetTypeId: $assetTypeId) {
      id
      task
      createdAt
      champion {
        id
        version
      }
      challenger {
        id
        version
      }
    }
  }
`);

export const ModelVersionsDocument = graphql(`
  query PortalModelVersions($modelId: ID!) {
    modelVersions(modelId: $modelId, first: 20) {
      edges {
        node {
          id
          version
          createdAt
          runId
          codeVersion
          metrics
          lineage
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

export type TypeModel = PortalTypeModelsQuery["models"][number];
export type VersionRow = PortalModelVersionsQuery["modelVersions"]["edges"][number]["node"];

/** The asset type and its models (champion and challenger). */
export function useTypeModels(tenantId: string, assetTypeId: string) {
  return useQuery({
    queryKey: ["models", tenantId, "type", assetTypeId] as const,
    queryFn: () => memberRequest(TypeModelsDocument, { assetTypeId }),
    enabled: tenantId !== "",
  });
}

/** A model's versions, newest first (the latest 20). */
export function useModelVersions(tenantId: string, modelId: string) {
  return useQuery({
    queryKey: ["models", tenantId, "versions", modelId] as const,
    queryFn: () => memberRequest(ModelVersionsDocument, { modelId }).then((r) => r.modelVersions),
    enabled: tenantId !== "",
  });
}
