import type { FastifyInstance } from "fastify";
import { AppError, httpStatus } from "../core/errors.js";
import type { WebhookDeps } from "./deps.js";
import { receiveStripeEvent } from "./webhook.js";

/** Stripe's events are small; anything larger is not one. */
const MAX_BODY_BYTES = 512 * 1024;

/**
 * POST /stripe/webhook: the body is kept as raw bytes, since the signature covers them exactly.
 * 400 with nothing stored for a missing, forged or stale signature; 200 once the event is stored
 * (or known already); 500 otherwise, and Stripe delivers it again.
 */
export async function registerStripeWebhookRoute(app: FastifyInstance, services: WebhookDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));

    scope.post("/stripe/webhook", async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const header = request.headers["stripe-signature"];
      const signature = Array.isArray(header) ? header[0] : header;
      try {
        const outcome = await receiveStripeEvent({ requestId: request.id, log: request.log, deps: services }, { raw, signature });
        return reply.status(200).send({ received: true, outcome });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return reply.status(httpStatus(error.code)).send({ error: { code: error.code, message: error.message } });
      }
    });

    scope.setErrorHandler((error: Error & { code?: string }, request, reply) => {
      if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        return reply.status(413).send({ error: { code: "VALIDATION", message: `The body is larger than ${MAX_BODY_BYTES} bytes.` } });
      }
      request.log.error({ err: error }, "unexpected error in the Stripe webhook");
      return reply.status(500).send({ error: { code: "INTERNAL", message: `Internal error; quote request id ${request.id} to support.` } });
    });
  });
}
