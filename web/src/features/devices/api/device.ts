import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalDeviceQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const DeviceDocument = graphql(`
  query PortalDevice($id: ID!) {
    device(id: $id) {
      id
      name
      createdAt
      assetIds
      tokens {
        id
        prefix
        createdAt
        lastUsedAt
        revokedAt
      }
      diagnostics {
        acceptedBatches
        acceptedPoints
        refusedBatches
        refusedPoints
        lastHttpAt
        lastMqttAt
        lastRefusal {
          at
          protocol
          code
          message
          line
        }
      }
      endpoints {
        httpWriteUrl
        httpWriteUrlV1
        mqttUrl
        mqttTopic
        mqttPrecision
      }
    }
  }
`);

export type DeviceDetail = PortalDeviceQuery["device"];

export const deviceKey = (tenantId: string, deviceId: string) => ["device", tenantId, deviceId] as const;

/** One device with its tokens, diagnostics and endpoints; another company's id answers NOT_FOUND. */
export function useDevice(tenantId: string, deviceId: string) {
  return useQuery({
    queryKey: deviceKey(tenantId, deviceId),
    queryFn: () => memberRequest(DeviceDocument, { id: deviceId }).then((r) => r.device),
    enabled: tenantId !== "",
    retry: false,
  });
}
