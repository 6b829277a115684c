import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const DeviceAssetOptionsDocument = graphql(`
  query PortalDeviceAssetOptions($first: Int!) {
    assets(first: $first) {
      edges {
        node {
          id
          name
          externalId
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

/** The most assets the chooser lists (the API's largest page). */
export const DEVICE_ASSET_OPTIONS = 100;

export interface DeviceAssetOption {
  readonly id: string;
  readonly name: string;
  readonly externalId: string;
}

/** The tenant's first assets, to choose a device's assets from and to name them in the list. */
export function useDeviceAssetOptions(tenantId: string) {
  return useQuery({
    queryKey: ["device-asset-options", tenantId],
    queryFn: () =>
      memberRequest(DeviceAssetOptionsDocument, { first: DEVICE_ASSET_OPTIONS }).then((r) => ({
        assets: r.assets.edges.map((e) => e.node) as readonly DeviceAssetOption[],
        truncated: r.assets.pageInfo.hasNextPage,
      })),
    enabled: tenantId !== "",
  });
}
