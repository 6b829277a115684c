import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { ModelScheduleInput } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const ModelScheduleDocument = graphql(`
  query PortalModelSchedule($assetTypeId: ID!) {
    modelSchedule(assetTypeId: $assetTypeId) {
      assetTypeId
      retrainEveryHours
      driftCheckEveryHours
      driftThreshold
    }
  }
`);

export const SetModelScheduleDocument = graphql(`
  mutation PortalSetModelSchedule($input: ModelScheduleInput!) {
    setModelSchedule(input: $input) {
      assetTypeId
      retrainEveryHours
      driftCheckEveryHours
      driftThreshold
    }
  }
`);

const key = (tenantId: string, assetTypeId: string) => ["models", tenantId, "schedule", assetTypeId] as const;

/** The retraining and drift-check schedules, as Temporal holds them. */
export function useModelSchedule(tenantId: string, assetTypeId: string) {
  return useQuery({
    queryKey: key(tenantId, assetTypeId),
    queryFn: () => memberRequest(ModelScheduleDocument, { assetTypeId }).then((r) => r.modelSchedule),
    enabled: tenantId !== "",
  });
}

/** Sets (or clears) both schedules; the answer is what the API now holds. */
export function useSetModelSchedule(tenantId: string, assetTypeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: ModelScheduleInput) => memberRequest(SetModelScheduleDocument, { input }).then((r) => r.setModelSchedule),
    onSuccess: (schedule) => queryClient.setQueryData(key(tenantId, assetTypeId), schedule),
  });
}
