import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { AcceptInvitationInput } from "../../../gql/graphql";
import { request } from "../../../lib/graphql";

export const AcceptInvitationDocument = graphql(`
  mutation PortalAcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      token
      expiresAt
      tenantId
      userId
    }
  }
`);

export function useAcceptInvitation() {
  return useMutation({
    mutationFn: (input: AcceptInvitationInput) => request(AcceptInvitationDocument, { input }).then((r) => r.acceptInvitation),
  });
}
