import type { FastifyReply } from "fastify";
import { AppError, type ErrorCode, httpStatus } from "../core/errors.js";
import { isDatabaseUnavailable } from "../db/client.js";
import { StoreUnavailableError } from "./store.js";

/** Seconds a client is asked to wait when the database is unreachable. */
const DATABASE_RETRY_SECONDS = 5;

/** A refusal of the InfluxDB-compatible routes: its HTTP status, the API's error code and what to do. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/**
 * An expected error as the failure to answer (`undefined`: unexpected, left to the route's error
 * handler). `unavailableTail` ends the message when a backend is down, e.g. "nothing was written. Retry later."
 */
export function httpFailureOf(error: unknown, unavailableTail: string): HttpFailure | undefined {
  if (error instanceof HttpFailure) return error;
  if (error instanceof AppError) {
    const retry = typeof error.details.retryAfterSeconds === "number" ? error.details.retryAfterSeconds : undefined;
    return new HttpFailure(httpStatus(error.code), error.code, error.message, error.details, retry);
  }
  if (error instanceof StoreUnavailableError) {
    return new HttpFailure(503, "INTERNAL", `The telemetry store is unavailable; ${unavailableTail}`, {}, error.retryAfterSeconds);
  }
  if (isDatabaseUnavailable(error)) {
    return new HttpFailure(503, "INTERNAL", `The database is unavailable; ${unavailableTail}`, {}, DATABASE_RETRY_SECONDS);
  }
  return undefined;
}

/**
 * The framework's own 4xx refusals (unreadable body, bad length …) keep their status and wording;
 * another library's 4xx gets `otherMessage`. `undefined` for anything else.
 */
export function frameworkFailureOf(error: Error & { code?: string; statusCode?: number }, otherMessage: string): HttpFailure | undefined {
  if (error.statusCode === undefined || error.statusCode < 400 || error.statusCode >= 500) return undefined;
  const framework = typeof error.code === "string" && error.code.startsWith("FST_");
  return new HttpFailure(error.statusCode, "VALIDATION", framework ? error.message : otherMessage);
}

/** The answer to an unexpected error: INTERNAL with the request id, nothing of the error itself. */
export const internalFailure = (requestId: string): HttpFailure =>
  new HttpFailure(500, "INTERNAL", `Internal error; quote request id ${requestId} to support.`);

/** A failure's headers beside the body each route shapes: Retry-After and the API's error code. */
export function withFailureHeaders(reply: FastifyReply, failure: HttpFailure): FastifyReply {
  if (failure.retryAfterSeconds !== undefined) reply.header("retry-after", String(Math.max(1, Math.ceil(failure.retryAfterSeconds))));
  return reply.header("x-pdm-error-code", failure.code);
}
