import { useMutation } from "@tanstack/react-query";
import { graphql } from "../../../gql";
import { request } from "../../../lib/graphql";

export const OperatorSignOutDocument = graphql(`
  mutation PortalOperatorSignOut {
    signOut
  }
`);

/** Ends the operator's sessions on the API; the console forgets the token whatever the answer. */
export function useOperatorSignOut() {
  return useMutation({ mutationFn: (token: string) => request(OperatorSignOutDocument, {}, token) });
}
