import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalOperatorUnbillableUsageQuery } from "../../../gql/graphql";
import { operatorRequest } from "./request";

export const OperatorUnbillableUsageDocument = graphql(`
  query PortalOperatorUnbillableUsage($reason: String!) {
    operatorUnbillableUsage(reason: $reason) {
      tenantId
      tenantName
      meter
      reason
      hours
      firstHour
      lastHour
      quantity
      planCode
      currency
      amount
    }
  }
`);

export type UnbillableRow = PortalOperatorUnbillableUsageQuery["operatorUnbillableUsage"][number];

/** Every customer's usage that no invoice can include, with the amount it represents (finance operators); logged with the reason. */
export function useOperatorUnbillableUsage(reason: string) {
  return useQuery({
    queryKey: ["operator", "unbillable", reason],
    queryFn: () => operatorRequest(OperatorUnbillableUsageDocument, { reason }).then((r) => r.operatorUnbillableUsage),
  });
}
