import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { AlertRuleInput, PortalAlertRulesQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const AlertRulesDocument = graphql(`
  query PortalAlertRules {
    alertRules {
      assetTypeId
      rulBelow
      anomaly
      updatedAt
    }
  }
`);

export const SetAlertRuleDocument = graphql(`
  mutation PortalSetAlertRule($input: AlertRuleInput!) {
    setAlertRule(input: $input) {
      assetTypeId
      rulBelow
      anomaly
      updatedAt
    }
  }
`);

export type AlertRuleRow = PortalAlertRulesQuery["alertRules"][number];

const key = (tenantId: string) => ["models", tenantId, "alert-rules"] as const;

/** The tenant's alert rules (one per asset type at most). */
export function useAlertRules(tenantId: string) {
  return useQuery({
    queryKey: key(tenantId),
    queryFn: () => memberRequest(AlertRulesDocument, {}).then((r) => r.alertRules),
    enabled: tenantId !== "",
  });
}

/** Sets an asset type's rule; the cached list takes the API's answer. */
export function useSetAlertRule(tenantId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AlertRuleInput) => memberRequest(SetAlertRuleDocument, { input }).then((r) => r.setAlertRule),
    onSuccess: (rule) =>
      queryClient.setQueryData(key(tenantId), (rules: AlertRuleRow[] | undefined) => [
        ...(rules ?? []).filter((r) => r.assetTypeId !== rule.assetTypeId),
        rule,
      ]),
  });
}
