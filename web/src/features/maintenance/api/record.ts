import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { RecordMaintenanceEventInput } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const RecordMaintenanceEventDocument = graphql(`
  mutation PortalRecordMaintenanceEvent($input: RecordMaintenanceEventInput!) {
    recordMaintenanceEvent(input: $input) {
      id
      assetId
      assetName
      kind
      occurredAt
    }
  }
`);

/** Records an event; every cached log of the tenant is fetched again (the new row may fall anywhere in time). */
export function useRecordMaintenanceEvent(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: RecordMaintenanceEventInput) =>
      memberRequest(RecordMaintenanceEventDocument, { input }).then((r) => r.recordMaintenanceEvent),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["maintenance-events", tenantId] }),
  });
}
