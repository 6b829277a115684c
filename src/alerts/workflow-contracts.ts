import { workflowType } from "../temporal/workflow-type.js";
import type { DeliveryRef } from "./delivery.js";

/**
 * The alert delivery workflow as clients start it: its function type, which the workflow code
 * (workflows/) implements, and its registered name typed by it (checked by the worker,
 * src/worker/workflow-types.ts).
 */

/** How the webhooks of one alert fared. */
export interface DeliveryOutcome {
  readonly delivered: number;
  readonly failed: number;
}

/** Sends a new alert to every webhook of its tenant; the workflow id is `deliver-<alert id>`. */
export type DeliverAlertWorkflow = (input: DeliveryRef) => Promise<DeliveryOutcome>;

export const DELIVER_ALERT = workflowType<DeliverAlertWorkflow, "deliverAlert">("deliverAlert");
