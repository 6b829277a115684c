import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const DeveloperMembersDocument = graphql(`
  query PortalDeveloperMembers {
    members(first: 100) {
      edges {
        node {
          userId
          name
        }
      }
    }
  }
`);

/** Member names by user id, to say who created a key (the first 100 members; others show their id). */
export function useMemberNames(tenantId: string, enabled: boolean) {
  return useQuery({
    queryKey: ["developer-member-names", tenantId],
    queryFn: () =>
      memberRequest(DeveloperMembersDocument, {}).then((r) => new Map(r.members.edges.map((e) => [e.node.userId, e.node.name]))),
    enabled,
  });
}
