import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { request } from "../../../lib/graphql";

export const SignOutDocument = graphql(`
  mutation PortalSignOut {
    signOut
  }
`);

/** Ends the token on the server; the caller forgets it whatever the answer. */
export function useSignOut() {
  return useMutation({ mutationFn: (token: string) => request(SignOutDocument, {}, token) });
}
