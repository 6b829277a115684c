import type { TypedDocumentString } from "../gql/graphql";
import { ApiError, request } from "./graphql";
import { endSession, getSession } from "./session";

/** An operation as the signed-in member. UNAUTHENTICATED ends the session, which sends the person to sign in again. */
export async function memberRequest<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables) {
  const session = getSession();
  if (!session) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.", undefined);
  try {
    return await request(document, variables, session.token);
  } catch (error) {
    if (error instanceof ApiError && error.code === "UNAUTHENTICATED") endSession("expired");
    throw error;
  }
}
