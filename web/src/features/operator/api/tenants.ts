import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalOperatorTenantsQuery } from "../../../gql/graphql";
import { operatorRequest } from "./request";

export const OperatorTenantsDocument = graphql(`
  query PortalOperatorTenants($reason: String!, $first: Int!, $after: String) {
    operatorTenants(reason: $reason, first: $first, after: $after) {
      edges {
        node {
          id
          name
          status
          memberCount
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type TenantsPage = PortalOperatorTenantsQuery["operatorTenants"];
export type TenantRow = TenantsPage["edges"][number]["node"];

export const TENANTS_PAGE_SIZE = 50;

/** Every customer, by id; each page read is logged with the reason. */
export function useOperatorTenants(reason: string) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: ["operator", "tenants", reason],
      queryFn: ({ pageParam }) =>
        operatorRequest(OperatorTenantsDocument, { reason, first: TENANTS_PAGE_SIZE, after: pageParam }).then((r) => r.operatorTenants),
      initialPageParam: null as string | null,
      getNextPageParam: (last: TenantsPage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    }),
  );
}
