import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";
import type { SampleTarget } from "../lib/snippets";

export const SampleAssetDocument = graphql(`
  query PortalDeviceSampleAsset($id: ID!) {
    asset(id: $id) {
      id
      externalId
      assetTypeId
    }
  }
`);

export const SampleAssetTypeDocument = graphql(`
  query PortalDeviceSampleAssetType($id: ID!) {
    assetType(id: $id) {
      id
      key
      sensors {
        key
        valueType
      }
    }
  }
`);

/**
 * What the example line of the snippets writes: the device's first asset, its type's key as the
 * measurement and its first sensor (natural order) as the field. Undefined while loading or when there is no asset.
 */
export function useSampleTarget(tenantId: string, assetId: string | undefined) {
  return useQuery({
    queryKey: ["device-sample-target", tenantId, assetId ?? null],
    queryFn: async (): Promise<SampleTarget | null> => {
      if (!assetId) return null;
      const { asset } = await memberRequest(SampleAssetDocument, { id: assetId });
      const { assetType } = await memberRequest(SampleAssetTypeDocument, { id: asset.assetTypeId });
      // The first sensor in natural order (s1 before s2 before s10): the same one every time.
      const [sensor] = [...assetType.sensors].sort((a, b) => a.key.localeCompare(b.key, "en", { numeric: true }));
      return {
        measurement: assetType.key,
        asset: asset.externalId,
        sensor: sensor?.key ?? "value",
        valueType: sensor?.valueType ?? "FLOAT",
      };
    },
    enabled: tenantId !== "",
    staleTime: 60_000,
  });
}
