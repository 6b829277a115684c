import { queryOptions, useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { memberRequest } from "../../../lib/api";

export const CurrentMemberDocument = graphql(`
  query PortalCurrentMember {
    viewer {
      userId
      tenantId
      role
      scopes
    }
    tenant {
      id
      name
    }
  }
`);

/** Who is signed in, in which tenant, with which role. Keyed by token: a new sign-in asks again. */
export const currentMemberQuery = (token: string) =>
  queryOptions({ queryKey: ["current-member", token], queryFn: () => memberRequest(CurrentMemberDocument, {}), enabled: token !== "" });

export function useCurrentMember(token: string) {
  return useQuery(currentMemberQuery(token));
}
