import type { TypedDocument } from "./document.js";
import { type GraphQLErrorEntry, PdmApiError } from "./errors.js";

/** The part of a fetch Response the client reads (the global `fetch` of Node 20+ answers one). */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A fetch function: the global one by default, or any with the same call shape (a proxy, a test double). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string }) => Promise<FetchResponse>;

export interface RetryOptions {
  /** How many times a RATE_LIMITED request is sent again (default 3; 0: never). */
  readonly maxRetries?: number;
  /** The longest wait the client accepts before sending again; a longer Retry-After throws at once (default 30). */
  readonly maxDelaySeconds?: number;
}

export interface TransportOptions {
  readonly endpoint: string;
  readonly authorization: string | undefined;
  readonly fetch: FetchLike;
  readonly retry: Required<RetryOptions>;
  readonly headers: Readonly<Record<string, string>>;
}

interface Answer<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds from a Retry-After header: a number of seconds, or an HTTP date. */
function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

async function readAnswer<T>(response: FetchResponse): Promise<Answer<T>> {
  const text = await response.text();
  try {
    return JSON.parse(text) as Answer<T>;
  } catch {
    throw new PdmApiError({
      message: `The API answered HTTP ${response.status} with a body that is not JSON: is the URL the API's?`,
      code: "INTERNAL",
      requestId: response.headers.get("x-request-id"),
      status: response.status,
      errors: [],
    });
  }
}

/** One call of a document: POST /graphql, errors as PdmApiError, RATE_LIMITED sent again after Retry-After. */
export async function send<TResult, TVariables>(
  options: TransportOptions,
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables | undefined,
): Promise<TResult> {
  const query = document.toString();
  if (query.startsWith("[object ")) {
    throw new TypeError("The document is not a string: pass one of `documents`, or a document built with documentMode: string.");
  }
  const body = JSON.stringify({ query, variables: variables ?? {} });
  const headers: Record<string, string> = {
    ...options.headers,
    "content-type": "application/json",
    accept: "application/json",
    ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
  };
  for (let attempt = 0; ; attempt++) {
    const response = await options.fetch(options.endpoint, { method: "POST", headers, body });
    const answer = await readAnswer<TResult>(response);
    const requestId = response.headers.get("x-request-id");
    if (answer.errors !== undefined && answer.errors.length > 0) {
      const error = PdmApiError.fromErrors(answer.errors, response.status, requestId);
      const wait = parseRetryAfter(response.headers.get("retry-after"), Date.now()) ?? error.retryAfterSeconds;
      const retry =
        error.code === "RATE_LIMITED" && attempt < options.retry.maxRetries && wait !== undefined && wait <= options.retry.maxDelaySeconds;
      if (!retry) throw error;
      await sleep(wait * 1000);
      continue;
    }
    if (answer.data === undefined || answer.data === null) {
      throw new PdmApiError({
        message: `The API answered HTTP ${response.status} without data or errors.`,
        code: "INTERNAL",
        requestId,
        status: response.status,
        errors: [],
      });
    }
    return answer.data;
  }
}
