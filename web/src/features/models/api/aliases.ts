import { useMutation, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const PromoteVersionDocument = graphql(`
  mutation PortalPromoteModelVersion($versionId: ID!, $reason: String!) {
    promoteModelVersion(versionId: $versionId, reason: $reason) {
      id
      champion {
        id
        version
      }
    }
  }
`);

export const RollbackModelDocument = graphql(`
  mutation PortalRollbackModel($modelId: ID!, $reason: String!) {
    rollbackModel(modelId: $modelId, reason: $reason) {
      id
      champion {
        id
        version
      }
    }
  }
`);

export type AliasChange =
  | { readonly action: "promote"; readonly versionId: string }
  | { readonly action: "rollback"; readonly modelId: string };

/** Promotes a version or rolls the champion back, with the reason; every cached model of the tenant is asked again. */
export function useChangeChampion(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ change, reason }: { change: AliasChange; reason: string }) =>
      change.action === "promote"
        ? memberRequest(PromoteVersionDocument, { versionId: change.versionId, reason }).then((r) => r.promoteModelVersion)
        : memberRequest(RollbackModelDocument, { modelId: change.modelId, reason }).then((r) => r.rollbackModel),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["models", tenantId] }),
  });
}
