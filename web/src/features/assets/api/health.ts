import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const AssetHealthDocument = graphql(`
  query PortalAssetHealth($assetId: ID!) {
    assetHealth(assetId: $assetId) {
      rul {
        id
        rul
        rulLow
        rulHigh
        dataTime
        createdAt
        modelVersionId
      }
      anomaly {
        id
        anomalyScore
        anomalyThreshold
        explanation
        dataTime
        createdAt
        modelVersionId
      }
    }
  }
`);

/** The asset's latest predictions (remaining useful life, anomaly score), when a model has scored it. */
export function useAssetHealth(tenantId: string, assetId: string, enabled = true) {
  return useQuery({
    queryKey: ["asset-health", tenantId, assetId],
    queryFn: () => memberRequest(AssetHealthDocument, { assetId }).then((r) => r.assetHealth),
    enabled: enabled && tenantId !== "",
  });
}

export const ModelVersionDocument = graphql(`
  query PortalModelVersion($id: ID!) {
    modelVersion(id: $id) {
      id
      version
      createdAt
    }
  }
`);

/** A model version's number ("v3") and when it was registered. */
export function useModelVersion(tenantId: string, id: string | undefined) {
  return useQuery({
    queryKey: ["model-version", tenantId, id],
    queryFn: () => memberRequest(ModelVersionDocument, { id: id ?? "" }).then((r) => r.modelVersion),
    enabled: tenantId !== "" && id !== undefined,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export const AssetModelsDocument = graphql(`
  query PortalAssetModels($assetTypeId: ID!) {
    models(assetTypeId: $assetTypeId) {
      id
      task
      champion {
        id
        version
      }
    }
  }
`);

/** The asset type's models (one per task at most), to tell "no model yet" from "not scored yet". */
export function useAssetModels(tenantId: string, assetTypeId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["asset-models", tenantId, assetTypeId],
    queryFn: () => memberRequest(AssetModelsDocument, { assetTypeId: assetTypeId ?? "" }).then((r) => r.models),
    enabled: enabled && tenantId !== "" && assetTypeId !== undefined,
  });
}
