import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ArgumentValidationError } from "type-graphql";
import { AppError, type ErrorCode } from "../core/errors.js";
import { findPgError } from "../db/client.js";

/** Apollo's own codes for input it could not accept: all are the caller's mistake. */
const INPUT_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "PERSISTED_QUERY_NOT_FOUND",
]);

/** Postgres refusing the bytes of an input (NUL, invalid encoding): the caller's input, not our fault. */
const UNSTORABLE_INPUT = new Set(["22021", "22P05"]);
const isUnstorableInput = (error: unknown): boolean => UNSTORABLE_INPUT.has(findPgError(error)?.code ?? "");

export const INTERNAL_MESSAGE = "Something went wrong on our side. Quote the request id to support.";

/**
 * What an unknown `persistedQuery.sha256Hash` gets besides APQ's own message (PersistedQueryNotFound,
 * which clients look for to send the text).
 */
export const UNKNOWN_HASH_HINT =
  "No document is known by this sha256Hash: send the query text with the same hash once to register it. A portal page built for another version of the API: reload it.";

export const UNREADABLE_MESSAGE = "The request could not be read: it is malformed or nested too deeply.";

/** The last error in a chain of GraphQL errors' causes. */
function rootCause(error: unknown): unknown {
  let current: unknown = error;
  for (let hops = 0; hops < 8 && current instanceof GraphQLError && current.originalError; hops++) current = current.originalError;
  return current;
}

/**
 * True when the text of an input refusal is meant for the caller: graphql-js's and Apollo's own, and
 * a scalar's refusal of a variable. Not a RangeError (a document or variable nested too deeply
 * overflowed the stack), nor anything else thrown while parsing or validating.
 */
function authoredByGraphQL(error: unknown, apolloCode: string): boolean {
  const root = rootCause(error);
  if (root instanceof GraphQLError) return true;
  if (root instanceof RangeError) return false;
  return apolloCode === "BAD_USER_INPUT";
}

/** The error behind a GraphQL error: a resolver's, or one raised on purpose before execution (limits). */
function originalOf(error: unknown): unknown {
  const unwrapped = unwrapResolverError(error);
  if (unwrapped instanceof GraphQLError && unwrapped.originalError instanceof AppError) return unwrapped.originalError;
  return unwrapped;
}

/** Maps every error once to the closed set of codes; an unexpected one never shows its message. */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = originalOf(error);
  const base = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof AppError) {
    return { ...base, message: original.message, extensions: { ...original.details, code: original.code } };
  }
  if (original instanceof ArgumentValidationError) {
    const fields = original.extensions.validationErrors;
    return { ...base, message: "Some arguments are not valid.", extensions: { code: "VALIDATION" satisfies ErrorCode, fields } };
  }
  if (isUnstorableInput(original)) {
    return {
      ...base,
      message: "The input holds a character the platform cannot store (such as a NUL byte).",
      extensions: { code: "VALIDATION" },
    };
  }
  const apolloCode = formatted.extensions?.code;
  if (typeof apolloCode === "string" && INPUT_CODES.has(apolloCode)) {
    // graphql-js and Apollo word their own refusals for the caller; anything else thrown while
    // reading the request (a RangeError from a too deeply nested document) keeps its text to the log.
    const message = authoredByGraphQL(error, apolloCode) ? formatted.message : UNREADABLE_MESSAGE;
    const field = formatted.extensions?.field;
    return {
      ...base,
      message,
      extensions: {
        code: "VALIDATION" satisfies ErrorCode,
        ...(typeof field === "string" ? { field } : {}),
        ...(apolloCode === "PERSISTED_QUERY_NOT_FOUND" ? { persistedQuery: "NOT_FOUND", hint: UNKNOWN_HASH_HINT } : {}),
      },
    };
  }
  return { ...base, message: INTERNAL_MESSAGE, extensions: { code: "INTERNAL" satisfies ErrorCode } };
}

/** True for the errors the caller caused or that the code raised on purpose: not worth an error log. */
export function isExpectedError(error: GraphQLError): boolean {
  const original = originalOf(error);
  if (original instanceof AppError || original instanceof ArgumentValidationError) return true;
  if (isUnstorableInput(original)) return true;
  const code = error.extensions?.code;
  return error.originalError === undefined || (typeof code === "string" && INPUT_CODES.has(code));
}

/** The JSON body of a GraphQL answer that failed before execution (auth, size limit). */
export function graphQLErrorBody(code: ErrorCode, message: string, requestId: string) {
  return { errors: [{ message, extensions: { code, requestId } }] };
}
