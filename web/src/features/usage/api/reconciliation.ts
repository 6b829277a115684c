import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";
import type { Range } from "../lib/period";

export const UsageReconciliationDocument = graphql(`
  query PortalUsageReconciliation($from: DateTimeISO!, $to: DateTimeISO!) {
    usageReconciliation(from: $from, to: $to) {
      hours {
        hour
        meter
        ledgerQuantity
        reportedQuantity
        confirmedQuantity
        inFlightQuantity
        rejectedQuantity
        unbillableQuantity
        status
        rejectedReason
        unbillableReasons
      }
      totals {
        meter
        ledgerQuantity
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

/** Hour by hour, the ledger against the reports to Stripe (oldest first, as the API answers). */
export function useReconciliation(tenantId: string, range: Range | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["usage", tenantId, "reconciliation", range?.from, range?.to],
    queryFn: async () =>
      (await memberRequest(UsageReconciliationDocument, { from: range?.from ?? "", to: range?.to ?? "" })).usageReconciliation,
    enabled: enabled && tenantId !== "" && range !== undefined,
  });
}
