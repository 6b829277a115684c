import { proxyActivities } from "@temporalio/workflow";
import type { AlertActivities, DeliverAlertWorkflow } from "../src/alerts/index.js";

const quick = proxyActivities<AlertActivities>({
  startToCloseTimeout: "1 minute",
  retry: { initialInterval: "1 second", maximumInterval: "30 seconds", maximumAttempts: 10 },
});

/** Each webhook gets up to this many tries, backing off from 1 s to a minute between them. */
export const DELIVERY_ATTEMPTS = 8;

const sending = proxyActivities<AlertActivities>({
  startToCloseTimeout: "30 seconds",
  retry: { initialInterval: "1 second", backoffCoefficient: 2, maximumInterval: "1 minute", maximumAttempts: DELIVERY_ATTEMPTS },
});

/** Sends a new alert to every webhook of its tenant, signed, retried; a webhook that never answers 2xx ends failed. */
export const deliverAlert: DeliverAlertWorkflow = async (input) => {
  const webhookIds = await quick.planDeliveries(input);
  const results = await Promise.allSettled(webhookIds.map((webhookId) => sending.sendDelivery({ ...input, webhookId })));
  let failed = 0;
  for (const [k, result] of results.entries()) {
    if (result.status === "rejected") {
      failed++;
      await quick.failDelivery({ ...input, webhookId: webhookIds[k] ?? "" });
    }
  }
  return { delivered: webhookIds.length - failed, failed };
};
