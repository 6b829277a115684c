import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { SignInInput } from "../../../gql/graphql";
import { request } from "../../../lib/graphql";

export const SignInDocument = graphql(`
  mutation PortalSignIn($input: SignInInput!) {
    signIn(input: $input) {
      token
      expiresAt
      tenantId
      userId
    }
  }
`);

export function useSignIn() {
  return useMutation({ mutationFn: (input: SignInInput) => request(SignInDocument, { input }).then((r) => r.signIn) });
}
