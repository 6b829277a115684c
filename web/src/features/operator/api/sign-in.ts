import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { OperatorSignInInput } from "../../../gql/graphql";
import { request } from "../../../lib/graphql";

export const OperatorSignInDocument = graphql(`
  mutation PortalOperatorSignIn($input: OperatorSignInInput!) {
    operatorSignIn(input: $input) {
      token
      expiresAt
      operator {
        id
        email
        name
        role
      }
    }
  }
`);

export function useOperatorSignIn() {
  return useMutation({
    mutationFn: (input: OperatorSignInInput) => request(OperatorSignInDocument, { input }).then((r) => r.operatorSignIn),
  });
}
