import type { TypedDocumentString } from "../gql/graphql";

/** An error the API answered (its code, message and request id), or NETWORK when it could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly requestId: string | undefined,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** An id the API does not know here, or cannot read as one: either way, no such thing for this tenant. */
export const isNotFound = (error: unknown): boolean =>
  error instanceof ApiError && (error.code === "NOT_FOUND" || error.code === "VALIDATION");

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A generated document: its text, and its hash in `__meta__` (web/codegen.yml, persistedDocuments). */
type Persistable = { toString(): string; readonly __meta__?: Record<string, unknown> | undefined };

/** The operation's SHA-256 from the build's manifest of persisted documents (web/codegen.yml). */
const hashOf = (document: Persistable): string | undefined => /^sha256:([0-9a-f]{64})$/.exec(text(document.__meta__?.hash) ?? "")?.[1];

const nameOf = (document: string): string | undefined => /\b(?:query|mutation|subscription)\s+(\w+)/.exec(document)?.[1];

/**
 * The request body: the operation's hash alone (APQ's persistedQuery extension; the API knows the
 * portal's documents from the build's manifest), or with the text as well when `withText` (the API
 * did not know the hash: a page built before the API's manifest changed).
 */
function body(document: Persistable, variables: unknown, withText: boolean): string {
  const query = document.toString();
  const sha256Hash = hashOf(document);
  if (!sha256Hash) return JSON.stringify({ query, variables });
  return JSON.stringify({
    ...(withText ? { query } : {}),
    operationName: nameOf(query),
    variables,
    extensions: { persistedQuery: { version: 1, sha256Hash } },
  });
}

async function post(requestBody: string, token: string | undefined): Promise<Response> {
  try {
    return await fetch("/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: requestBody,
    });
  } catch {
    throw new ApiError("NETWORK", "The service could not be reached. Check your connection and try again.", undefined);
  }
}

/** APQ's answer to a hash the API does not know. */
const notFound = (answer: GraphQLResponse<unknown>) => answer.errors?.[0]?.message === "PersistedQueryNotFound";

/** One GraphQL operation against this origin's /graphql; the first error becomes an ApiError. */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  token?: string,
): Promise<TResult> {
  let response = await post(body(document, variables, false), token);
  let answer = await read<TResult>(response);
  // Only a refusal of the hash itself is worth a second request, with the text.
  if ("body" in answer && notFound(answer.body) && hashOf(document)) {
    response = await post(body(document, variables, true), token);
    answer = await read<TResult>(response);
  }
  const headerId = response.headers.get("x-request-id") ?? undefined;
  if (!("body" in answer)) throw new ApiError("INTERNAL", `The service answered ${response.status} without a readable body.`, headerId);
  const first = answer.body.errors?.[0];
  if (first) {
    const extensions = first.extensions ?? {};
    throw new ApiError(text(extensions.code) ?? "INTERNAL", first.message, text(extensions.requestId) ?? headerId, extensions);
  }
  const data = answer.body.data;
  if (data === undefined || data === null) {
    throw new ApiError("INTERNAL", `The service answered ${response.status} without data.`, headerId);
  }
  return data;
}

async function read<T>(response: Response): Promise<{ body: GraphQLResponse<T> } | { unreadable: true }> {
  try {
    return { body: (await response.json()) as GraphQLResponse<T> };
  } catch {
    return { unreadable: true };
  }
}
