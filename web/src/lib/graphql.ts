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

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** One GraphQL operation against this origin's /graphql; the first error becomes an ApiError. */
export async function request<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  token?: string,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError("NETWORK", "The service could not be reached. Check your connection and try again.", undefined);
  }
  const headerId = response.headers.get("x-request-id") ?? undefined;
  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    throw new ApiError("INTERNAL", `The service answered ${response.status} without a readable body.`, headerId);
  }
  const first = body.errors?.[0];
  if (first) {
    const extensions = first.extensions ?? {};
    throw new ApiError(text(extensions.code) ?? "INTERNAL", first.message, text(extensions.requestId) ?? headerId, extensions);
  }
  if (body.data === undefined || body.data === null) {
    throw new ApiError("INTERNAL", `The service answered ${response.status} without data.`, headerId);
  }
  return body.data;
}
