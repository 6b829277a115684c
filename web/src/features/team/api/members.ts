import { infiniteQueryOptions, useInfiniteQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { PortalTeamMembersQuery } from "../../../gql/graphql";
import { memberRequest } from "../../../lib/api";

export const TeamMembersDocument = graphql(`
  query PortalTeamMembers($first: Int!, $after: String) {
    members(first: $first, after: $after) {
      edges {
        node {
          userId
          name
          email
          role
          joinedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

type MemberPage = PortalTeamMembersQuery["members"];
export type TeamMember = MemberPage["edges"][number]["node"];

/** The API's most per request: a team rarely has more, so the owner rule is usually judged on the whole list. */
export const MEMBERS_PAGE_SIZE = 100;

export const teamMembersKey = (tenantId: string) => ["team-members", tenantId] as const;

export const teamMembersQuery = (tenantId: string) =>
  infiniteQueryOptions({
    queryKey: teamMembersKey(tenantId),
    queryFn: ({ pageParam }) => memberRequest(TeamMembersDocument, { first: MEMBERS_PAGE_SIZE, after: pageParam }).then((r) => r.members),
    initialPageParam: null as string | null,
    getNextPageParam: (last: MemberPage) => (last.pageInfo.hasNextPage ? last.pageInfo.endCursor : undefined),
    enabled: tenantId !== "",
  });

export function useTeamMembers(tenantId: string) {
  return useInfiniteQuery(teamMembersQuery(tenantId));
}
