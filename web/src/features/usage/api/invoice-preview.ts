import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";
import { ApiError } from "../../../lib/graphql";

export const UsageInvoicePreviewDocument = graphql(`
  query PortalInvoicePreview {
    invoicePreview {
      planCode
      planName
      currency
      periodStart
      periodEnd
      lines {
        component
        quantity
        unitAmount
        amount
      }
      total
    }
  }
`);

/** The running period's invoice so far; null when there is no subscription (the API's CONFLICT). */
export function useInvoicePreview(tenantId: string) {
  return useQuery({
    queryKey: ["usage", tenantId, "invoice-preview"],
    queryFn: async () => {
      try {
        return (await memberRequest(UsageInvoicePreviewDocument, {})).invoicePreview;
      } catch (error) {
        if (error instanceof ApiError && error.code === "CONFLICT") return null;
        throw error;
      }
    },
    enabled: tenantId !== "",
  });
}
