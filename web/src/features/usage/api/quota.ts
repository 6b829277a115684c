import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const UsageQuotaDocument = graphql(`
  query PortalUsageQuota {
    quotaUse {
      billingStatus
      day
      resetsAt
      plan {
        id
        code
        name
        currency
        isDefault
      }
      daily {
        meter
        used
        limit
      }
      counts {
        entitlement
        used
        limit
      }
    }
    billingAccount {
      status
      currentPeriodStart
      currentPeriodEnd
    }
  }
`);

export const usageQuotaQuery = (tenantId: string) =>
  queryOptions({
    queryKey: ["usage", tenantId, "quota"],
    queryFn: () => memberRequest(UsageQuotaDocument, {}),
    enabled: tenantId !== "",
  });

/** Today's use of the daily limits, the counted entitlements, the plan and the billing period. */
export function useUsageQuota(tenantId: string) {
  return useQuery(usageQuotaQuery(tenantId));
}
