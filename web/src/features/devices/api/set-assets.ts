import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";
import { deviceKey } from "./device";

export const SetDeviceAssetsDocument = graphql(`
  mutation PortalSetDeviceAssets($deviceId: ID!, $assetIds: [ID!]!) {
    setDeviceAssets(deviceId: $deviceId, assetIds: $assetIds) {
      id
      assetIds
    }
  }
`);

/** Replaces the set of assets the device may write for. */
export function useSetDeviceAssets(tenantId: string, deviceId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (assetIds: string[]) => memberRequest(SetDeviceAssetsDocument, { deviceId, assetIds }).then((r) => r.setDeviceAssets),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: deviceKey(tenantId, deviceId) });
      await queryClient.invalidateQueries({ queryKey: ["devices", tenantId] });
    },
  });
}
