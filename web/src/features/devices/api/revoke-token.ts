import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";
import { deviceKey } from "./device";

export const RevokeDeviceTokenDocument = graphql(`
  mutation PortalRevokeDeviceToken($id: ID!) {
    revokeDeviceToken(id: $id) {
      id
      prefix
      revokedAt
    }
  }
`);

/** Revokes a token: HTTP writes with it are refused at once and its MQTT connection is closed. */
export function useRevokeDeviceToken(tenantId: string, deviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => memberRequest(RevokeDeviceTokenDocument, { id }).then((r) => r.revokeDeviceToken),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: deviceKey(tenantId, deviceId) });
      await queryClient.invalidateQueries({ queryKey: ["devices", tenantId] });
    },
  });
}
