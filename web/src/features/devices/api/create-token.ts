import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";
import { deviceKey } from "./device";

export const CreateDeviceTokenDocument = graphql(`
  mutation PortalCreateDeviceToken($deviceId: ID!) {
    createDeviceToken(deviceId: $deviceId) {
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
`);

/** A further token for the device (rotation); like createDevice's, forgotten once nothing observes it. */
export function useCreateDeviceToken(tenantId: string, deviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => memberRequest(CreateDeviceTokenDocument, { deviceId }).then((r) => r.createDeviceToken),
    gcTime: 0,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: deviceKey(tenantId, deviceId) });
      await queryClient.invalidateQueries({ queryKey: ["devices", tenantId] });
    },
  });
}
