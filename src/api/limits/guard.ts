import { type DocumentNode, GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import type { Config } from "../../config.js";
import type { Principal } from "../../core/context.js";
import type { AppError } from "../../core/errors.js";
import { validation } from "../../core/errors.js";
import { analyseOperation, type Figures } from "./analyse.js";
import type { CostThrottle } from "./cost-throttle.js";
import { type Bucket, bucketOf, type ThrottleStatus } from "./throttle.js";

export type LimitSettings = Pick<
  Config,
  | "GRAPHQL_MAX_DEPTH"
  | "GRAPHQL_MAX_ALIASES"
  | "GRAPHQL_MAX_DIRECTIVES"
  | "GRAPHQL_MAX_COST"
  | "GRAPHQL_COST_PER_MINUTE"
  | "GRAPHQL_ANONYMOUS_COST_PER_MINUTE"
  | "GRAPHQL_LIMITS"
>;

/** What was charged before execution, to report and settle after it. */
export interface Charge {
  readonly bucket: Bucket;
  readonly requested: number;
  readonly status: ThrottleStatus;
}

const fmt = (n: number): string => (Number.isFinite(n) ? Math.ceil(n).toLocaleString("en-US") : "more than 10^308");

/** Refuses an operation over a document limit with VALIDATION, naming the limit and the figure. */
export function checkFigures(figures: Figures, limits: LimitSettings): void {
  const over = (limit: string, value: number, max: number, message: string) => {
    if (value <= max) return;
    throw validation(message, { limit, value: Number.isFinite(value) ? Math.ceil(value) : Number.MAX_VALUE, max });
  };
  const { depth, aliases, directives, cost } = figures;
  over("depth", depth, limits.GRAPHQL_MAX_DEPTH, `The operation is ${depth} levels deep; at most ${limits.GRAPHQL_MAX_DEPTH} are allowed.`);
  if (limits.GRAPHQL_LIMITS === "off") return;
  const { GRAPHQL_MAX_ALIASES: maxAliases, GRAPHQL_MAX_DIRECTIVES: maxDirectives, GRAPHQL_MAX_COST: maxCost } = limits;
  over(
    "aliases",
    aliases,
    maxAliases,
    `The operation uses ${fmt(aliases)} aliases (fragments count once per spread); at most ${fmt(maxAliases)} are allowed.`,
  );
  over(
    "directives",
    directives,
    maxDirectives,
    `The operation uses ${fmt(directives)} directives (fragments count once per spread); at most ${fmt(maxDirectives)} are allowed.`,
  );
  over(
    "cost",
    cost,
    maxCost,
    `The operation costs ${fmt(cost)} points; at most ${fmt(maxCost)} are allowed per request. Lists count their "first" or "limit" items and fragments count once per spread: ask for smaller pages or split the request.`,
  );
}

export interface GuardInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly principal: Principal;
  readonly clientAddress: string;
}

/**
 * Everything that must hold before an operation runs: the document limits (linear in the
 * document), then the caller's rate limit charged with the requested cost. Throws AppError
 * (VALIDATION, RATE_LIMITED); returns the charge, or undefined when limits are off.
 */
export async function guardOperation(throttle: CostThrottle, limits: LimitSettings, input: GuardInput): Promise<Charge | undefined> {
  const figures = analyseOperation(input.schema, input.document, input.operation, input.variables);
  checkFigures(figures, limits);
  if (limits.GRAPHQL_LIMITS === "off") return undefined;
  const bucket = bucketOf(input.principal, input.clientAddress, {
    perMinute: limits.GRAPHQL_COST_PER_MINUTE,
    anonymousPerMinute: limits.GRAPHQL_ANONYMOUS_COST_PER_MINUTE,
  });
  const requested = Math.ceil(figures.cost);
  const status = await throttle.charge(bucket, requested);
  return { bucket, requested, status };
}

/** An AppError as a GraphQL error that Apollo answers with the right HTTP status (and Retry-After). */
export function limitError(error: AppError): GraphQLError {
  const retry = error.details.retryAfterSeconds;
  const headers = typeof retry === "number" ? new Map([["retry-after", String(retry)]]) : undefined;
  const status = error.code === "RATE_LIMITED" ? 429 : 400;
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: error.code, http: { status, ...(headers ? { headers } : {}) } },
  });
}
