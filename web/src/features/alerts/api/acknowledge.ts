import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";
import { replaceAlerts } from "./alerts";

export const AcknowledgeAlertsDocument = graphql(`
  mutation PortalAcknowledgeAlerts($ids: [ID!]!) {
    acknowledgeAlerts(ids: $ids) {
      ...AlertRow
    }
  }
`);

/** Marks alerts as seen (all or nothing); the lists on screen show the answer at once. */
export function useAcknowledgeAlerts(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids: readonly string[]) => memberRequest(AcknowledgeAlertsDocument, { ids: [...ids] }).then((r) => r.acknowledgeAlerts),
    onSuccess: (changed) => replaceAlerts(queryClient, tenantId, changed),
  });
}
