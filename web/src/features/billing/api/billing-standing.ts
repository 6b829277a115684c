import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const BillingStandingDocument = graphql(`
  query PortalBillingStanding {
    billingStanding {
      status
      graceEndsAt
    }
    viewer {
      scopes
    }
  }
`);

/** How often the banner asks again while a page stays open (a payment or a missed one shows within this). */
const STANDING_REFRESH_MS = 60_000;

export const billingStandingKey = (tenantId: string) => ["billing-standing", tenantId] as const;

export const billingStandingQuery = (tenantId: string) =>
  queryOptions({
    queryKey: billingStandingKey(tenantId),
    queryFn: () => memberRequest(BillingStandingDocument, {}),
    enabled: tenantId !== "",
    refetchInterval: STANDING_REFRESH_MS,
  });

/** Whether the tenant may write (and until when), for every member: the banner on every page. */
export function useBillingStanding(tenantId: string) {
  return useQuery(billingStandingQuery(tenantId));
}
