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
