import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalOperatorInvoicePreviewQuery } from "../../../gql/graphql";
import { operatorRequest } from "./request";

export const OperatorInvoicePreviewDocument = graphql(`
  query PortalOperatorInvoicePreview($tenantId: ID!, $reason: String!) {
    operatorInvoicePreview(tenantId: $tenantId, reason: $reason) {
      planCode
      planName
      currency
      periodStart
      periodEnd
      lines {
        component
        description
        quantity
        unitAmount
        amount
      }
      total
    }
  }
`);

export type InvoicePreview = PortalOperatorInvoicePreviewQuery["operatorInvoicePreview"];

/** One customer's running invoice (finance operators); logged with the reason in the customer's audit log. */
export function useOperatorInvoicePreview(tenantId: string, reason: string) {
  return useQuery({
    queryKey: ["operator", "invoice", tenantId, reason],
    queryFn: () => operatorRequest(OperatorInvoicePreviewDocument, { tenantId, reason }).then((r) => r.operatorInvoicePreview),
  });
}
