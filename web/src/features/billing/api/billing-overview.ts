import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalBillingOverviewQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const BillingOverviewDocument = graphql(`
  query PortalBillingOverview {
    plans {
      id
      code
      name
      currency
      baseAmount
      pointsAmountPer1000
      predictionAmount
      trainingRunAmount
      isDefault
      entitlements {
        pointsPerDay
        predictionsPerDay
        trainingRunsPerDay
        maxAssets
        maxModels
        maxSeries
        retentionDays
        graphqlCostPerMinute
      }
    }
    billingAccount {
      status
      customerId
      currentPeriodStart
      currentPeriodEnd
      pastDueSince
      graceEndsAt
      plan {
        id
        code
        name
        isDefault
      }
    }
  }
`);

export type BillingOverview = PortalBillingOverviewQuery;
export type PlanOffer = PortalBillingOverviewQuery["plans"][number];
export type BillingAccountView = PortalBillingOverviewQuery["billingAccount"];

export const billingOverviewKey = (tenantId: string) => ["billing-overview", tenantId] as const;

/** While Stripe confirms a checkout: ask every 2 s until the subscription is active. */
export const CONFIRM_POLL_MS = 2_000;

export const billingOverviewQuery = (tenantId: string, polling: boolean) =>
  queryOptions({
    queryKey: billingOverviewKey(tenantId),
    queryFn: () => memberRequest(BillingOverviewDocument, {}),
    enabled: tenantId !== "",
    refetchInterval: polling ? CONFIRM_POLL_MS : false,
  });

/** The plans on offer (cheapest first) and the tenant's subscription, in one request. */
export function useBillingOverview(tenantId: string, polling: boolean) {
  return useQuery(billingOverviewQuery(tenantId, polling));
}
