import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalSupportInboxQuery } from "../../../gql/graphql";
import { operatorRequest } from "./request";

export const SupportInboxDocument = graphql(`
  query PortalSupportInbox($reason: String!, $first: Int!, $after: String) {
    supportInbox(reason: $reason, first: $first, after: $after) {
      edges {
        node {
          alertId
          tenantId
          tenantName
          assetId
          assetExternalId
          kind
          status
          value
          threshold
          openedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type InboxPage = PortalSupportInboxQuery["supportInbox"];
export type InboxRow = InboxPage["edges"][number]["node"];

export const INBOX_PAGE_SIZE = 50;

/** Unresolved alerts of every customer, newest first; each page read is logged with the reason. */
export function useSupportInbox(reason: string) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: ["operator", "inbox", reason],
      queryFn: ({ pageParam }) =>
        operatorRequest(SupportInboxDocument, { reason, first: INBOX_PAGE_SIZE, after: pageParam }).then((r) => r.supportInbox),
      initialPageParam: null as string | null,
      getNextPageParam: (last: InboxPage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    }),
  );
}
