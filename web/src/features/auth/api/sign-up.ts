import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import type { SignUpInput } from "../../../gql/graphql";
import { request } from "../../../lib/graphql";

export const SignUpDocument = graphql(`
  mutation PortalSignUp($input: SignUpInput!) {
    signUp(input: $input) {
      email
      message
    }
  }
`);

export function useSignUp() {
  return useMutation({ mutationFn: (input: SignUpInput) => request(SignUpDocument, { input }).then((r) => r.signUp) });
}
