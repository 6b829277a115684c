import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalOperatorReconciliationQuery } from "../../../gql/graphql";
import type { Range } from "../lib/range";
import { operatorRequest } from "./request";

// The totals only: the hour-by-hour rows of every customer are the CSV's.
export const OperatorReconciliationDocument = graphql(`
  query PortalOperatorReconciliation($reason: String!, $from: DateTimeISO!, $to: DateTimeISO!) {
    operatorReconciliation(reason: $reason, from: $from, to: $to) {
      totals {
        tenantId
        tenantName
        meter
        ledgerQuantity
        hourlyQuantity
        reportedQuantity
        confirmedQuantity
        inFlightQuantity
        rejectedQuantity
        unbillableQuantity
        status
        rejectedReason
        unbillableReasons
      }
    }
  }
`);

export type ReconciliationTotal = PortalOperatorReconciliationQuery["operatorReconciliation"]["totals"][number];

/** Every customer's usage against its Stripe meter reports (finance operators, up to 31 days); logged with the reason. */
export function useOperatorReconciliation(reason: string, range: Range) {
  const from = range.from.toISOString();
  const to = range.to.toISOString();
  return useQuery({
    queryKey: ["operator", "reconciliation", reason, from, to],
    queryFn: () => operatorRequest(OperatorReconciliationDocument, { reason, from, to }).then((r) => r.operatorReconciliation.totals),
  });
}
