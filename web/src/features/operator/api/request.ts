import type { TypedDocumentString } from "../../../gql/graphql";
import { ApiError, request } from "../../../lib/graphql";
import { endOperatorSession, getOperatorSession } from "../lib/session";

/** An operation as the signed-in operator. UNAUTHENTICATED ends the session, which sends the operator to sign in again. */
export async function operatorRequest<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables) {
  const session = getOperatorSession();
  if (!session) throw new ApiError("UNAUTHENTICATED", "Sign in as an operator first.", undefined);
  try {
    return await request(document, variables, session.token);
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") endOperatorSession();
    throw error;
  }
}
