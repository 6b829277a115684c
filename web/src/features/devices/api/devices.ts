import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalDevicesQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const DevicesDocument = graphql(`
  query PortalDevices($first: Int!, $after: String) {
    devices(first: $first, after: $after) {
      edges {
        node {
          id
          name
          createdAt
          assetIds
          tokens {
            id
            revokedAt
          }
          diagnostics {
            acceptedBatches
            refusedBatches
            lastHttpAt
            lastMqttAt
            lastRefusal {
              at
              code
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type DevicePage = PortalDevicesQuery["devices"];
export type DeviceRow = DevicePage["edges"][number]["node"];

export const DEVICES_PAGE_SIZE = 50;

export const devicesQuery = (tenantId: string) =>
  infiniteQueryOptions({
    queryKey: ["devices", tenantId] as const,
    queryFn: ({ pageParam }) => memberRequest(DevicesDocument, { first: DEVICES_PAGE_SIZE, after: pageParam }).then((r) => r.devices),
    initialPageParam: null as string | null,
    getNextPageParam: (last: DevicePage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    enabled: tenantId !== "",
  });

/** The tenant's devices in the order they were added, 50 at a time, each with its last delivery. */
export function useDevices(tenantId: string) {
  return useInfiniteQuery(devicesQuery(tenantId));
}
