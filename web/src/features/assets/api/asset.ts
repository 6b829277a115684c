import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const AssetDocument = graphql(`
  query PortalAsset($id: ID!) {
    asset(id: $id) {
      id
      name
      externalId
      assetTypeId
      createdAt
    }
  }
`);

export const AssetTypeDocument = graphql(`
  query PortalAssetType($id: ID!) {
    assetType(id: $id) {
      id
      key
      name
      sensors {
        key
        unit
        description
        valueType
      }
    }
  }
`);

export const assetQuery = (tenantId: string, assetId: string) =>
  queryOptions({
    queryKey: ["asset", tenantId, assetId],
    queryFn: () => memberRequest(AssetDocument, { id: assetId }).then((r) => r.asset),
    enabled: tenantId !== "",
  });

export const assetTypeQuery = (tenantId: string, assetTypeId: string | undefined) =>
  queryOptions({
    queryKey: ["asset-type", tenantId, assetTypeId ?? null],
    queryFn: () => memberRequest(AssetTypeDocument, { id: assetTypeId ?? "" }).then((r) => r.assetType),
    enabled: tenantId !== "" && assetTypeId !== undefined,
  });

export function useAsset(tenantId: string, assetId: string) {
  return useQuery(assetQuery(tenantId, assetId));
}

export function useAssetType(tenantId: string, assetTypeId: string | undefined) {
  return useQuery(assetTypeQuery(tenantId, assetTypeId));
}
