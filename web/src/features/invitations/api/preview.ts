import { useQuery } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { request } from "../../../lib/graphql";

export const InvitationPreviewDocument = graphql(`
  query PortalInvitationPreview($token: String!) {
    invitationPreview(token: $token) {
      tenantName
      email
      role
      expiresAt
      state
      hasAccount
    }
  }
`);

/** What the link holds: the company, the address and role invited, and whether it can still be accepted. */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: ["invitation-preview", token],
    queryFn: () => request(InvitationPreviewDocument, { token }).then((r) => r.invitationPreview),
    enabled: token !== "",
    retry: false,
  });
}
