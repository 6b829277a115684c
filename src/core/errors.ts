/** The closed set of error codes the API answers with. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "VALIDATION"
  | "CONFLICT"
  | "QUOTA_EXCEEDED"
  | "PAYMENT_REQUIRED"
  | "RATE_LIMITED"
  | "INTERNAL";

export type ErrorDetails = Readonly<Record<string, unknown>>;

/** The one error base class. Its message is meant for the person calling the API. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what: string, id: string): AppError => new AppError("NOT_FOUND", `${what} ${id} does not exist`, { id });

export const validation = (message: string, details: ErrorDetails = {}): AppError => new AppError("VALIDATION", message, details);

export const forbidden = (message: string, details: ErrorDetails = {}): AppError => new AppError("FORBIDDEN", message, details);

export const unauthenticated = (message: string): AppError => new AppError("UNAUTHENTICATED", message);

export const conflict = (message: string, details: ErrorDetails = {}): AppError => new AppError("CONFLICT", message, details);

/** Problems named in one message before the rest are only counted. */
export const LISTED_PROBLEMS = 10;

/**
 * A list for an error message that stays small whatever the input: the first `max` items, then
 * how many more there are ("a, b, c and 49,990 more").
 */
export function listSome(items: readonly string[], max = LISTED_PROBLEMS): string {
  const shown = items.slice(0, max).map((item) => (item.length > 64 ? `${item.slice(0, 63)}…` : item));
  const rest = items.length - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${rest.toLocaleString("en-US")} more` : shown.join(", ");
}

/** HTTP status for each code, for the non-GraphQL routes. Exhaustive: no default. */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case "UNAUTHENTICATED":
      return 401;
    case "FORBIDDEN":
      return 403;
    case "NOT_FOUND":
      return 404;
    case "VALIDATION":
      return 400;
    case "CONFLICT":
      return 409;
    case "QUOTA_EXCEEDED":
      return 429;
    case "RATE_LIMITED":
      return 429;
    case "PAYMENT_REQUIRED":
      return 402;
    case "INTERNAL":
      return 500;
  }
}
