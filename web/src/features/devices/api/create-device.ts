import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalCreateDeviceMutation } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const CreateDeviceDocument = graphql(`
  mutation PortalCreateDevice($input: CreateDeviceInput!) {
    createDevice(input: $input) {
      device {
        id
        name
        assetIds
      }
      issued {
        secret
        mqttUsername
        mqttClientId
        mqttTopic
        mqttUrl
        mqttPrecision
        httpWriteUrl
        token {
          id
          prefix
        }
      }
    }
  }
`);

export type IssuedToken = PortalCreateDeviceMutation["createDevice"]["issued"];

/**
 * Adds a device with its first token. The answer holds the secret: the mutation is forgotten as
 * soon as nothing observes it (gcTime 0), so the secret lives only in the page that shows it.
 */
export function useCreateDevice(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; assetIds: string[] }) => memberRequest(CreateDeviceDocument, { input }).then((r) => r.createDevice),
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["devices", tenantId] }),
  });
}
