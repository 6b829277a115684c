import type { ApolloServerPlugin } from "@apollo/server";
import type { FastifyBaseLogger } from "fastify";
import { AppError } from "../../core/errors.js";
import type { Db } from "../../db/client.js";
import type { RequestContext } from "../services.js";
import { actualCost } from "./actual.js";
import type { CostThrottle } from "./cost-throttle.js";
import { type Charge, guardOperation, type LimitSettings, limitError } from "./guard.js";
import { afterRefund } from "./throttle.js";

/** One in this many requests also forgets idle buckets (off the latency path). */
const FORGET_IDLE_EVERY = 1000;

/**
 * The GraphQL limits for HTTP requests: after the operation is parsed and validated and before
 * any resolver runs, the document limits and the rate limit (charged with the requested cost);
 * after execution, the unused part is refunded (not awaited) and `extensions.cost` reports both.
 */
export function limitsPlugin(
  throttle: CostThrottle,
  db: Db,
  limits: LimitSettings,
  log: FastifyBaseLogger,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let charge: Charge | undefined;
      return {
        async didResolveOperation({ document, operation, request, contextValue, schema }) {
          if (!operation) return; // Apollo refuses it before execution
          try {
            charge = await guardOperation(throttle, limits, {
              schema,
              document,
              operation,
              variables: request.variables ?? {},
              principal: contextValue.principal,
              clientAddress: contextValue.clientAddress ?? "unknown",
            });
          } catch (error) {
            if (error instanceof AppError) throw limitError(error);
            throw error;
          }
        },
        async willSendResponse({ response, operation }) {
          if (!charge || response.body.kind !== "single" || !operation) return;
          const result = response.body.singleResult;
          const actual = Math.min(charge.requested, actualCost(operation, result.data));
          const unused = charge.requested - actual;
          result.extensions = {
            ...result.extensions,
            cost: { requested: charge.requested, actual, throttle: afterRefund(charge.status, unused) },
          };
          const key = charge.bucket.key;
          void throttle
            .refund(key, unused, charge.status)
            .catch((err: unknown) => log.warn({ err }, "could not refund unused GraphQL cost"));
          if (Math.random() * FORGET_IDLE_EVERY < 1) {
            void db.sql`select graphql_cost_forget_idle()`.catch((err: unknown) => log.warn({ err }, "could not forget idle buckets"));
          }
        },
      };
    },
  };
}
