/** The codes the API answers errors with (`extensions.code`). */
export type ApiErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "VALIDATION"
  | "CONFLICT"
  | "QUOTA_EXCEEDED"
  | "PAYMENT_REQUIRED"
  | "RATE_LIMITED"
  | "INTERNAL";

/** One error of a GraphQL answer, as the API sends it. */
export interface GraphQLErrorEntry {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: { readonly code?: string; readonly requestId?: string; readonly [key: string]: unknown };
}

const KNOWN_CODES: ReadonlySet<string> = new Set<ApiErrorCode>([
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "VALIDATION",
  "CONFLICT",
  "QUOTA_EXCEEDED",
  "PAYMENT_REQUIRED",
  "RATE_LIMITED",
  "INTERNAL",
]);

const isApiErrorCode = (code: unknown): code is ApiErrorCode => typeof code === "string" && KNOWN_CODES.has(code);

/**
 * The API refused a request or failed. `code` is the API's error code; `requestId` identifies the
 * request in the platform's logs (quote it to support); `details` holds the rest of the error's
 * extensions (for RATE_LIMITED and QUOTA_EXCEEDED: `retryAfterSeconds`).
 */
export class PdmApiError extends Error {
  override readonly name = "PdmApiError";
  readonly code: ApiErrorCode;
  readonly requestId: string | null;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** The operation's field the first error belongs to, if any. */
  readonly path: readonly (string | number)[] | undefined;
  readonly details: Readonly<Record<string, unknown>>;
  /** Every error of the answer (the first one names this error). */
  readonly errors: readonly GraphQLErrorEntry[];

  constructor(input: {
    message: string;
    code: ApiErrorCode;
    requestId: string | null;
    status: number;
    errors: readonly GraphQLErrorEntry[];
  }) {
    super(input.message);
    this.code = input.code;
    this.requestId = input.requestId;
    this.status = input.status;
    this.errors = input.errors;
    const first = input.errors[0];
    this.path = first?.path;
    const { code: _code, requestId: _requestId, ...details } = first?.extensions ?? {};
    this.details = details;
  }

  /** Seconds the API asked to wait before trying again (RATE_LIMITED, QUOTA_EXCEEDED), if it said. */
  get retryAfterSeconds(): number | undefined {
    const value = this.details.retryAfterSeconds;
    return typeof value === "number" ? value : undefined;
  }

  /** The error of an answer's `errors` list (the first one names it). */
  static fromErrors(errors: readonly GraphQLErrorEntry[], status: number, headerRequestId: string | null): PdmApiError {
    const first = errors[0];
    const code = first?.extensions?.code;
    const requestId = first?.extensions?.requestId;
    return new PdmApiError({
      message: first?.message ?? `The API answered HTTP ${status} without an error message.`,
      code: isApiErrorCode(code) ? code : "INTERNAL",
      requestId: typeof requestId === "string" ? requestId : headerRequestId,
      status,
      errors,
    });
  }
}
