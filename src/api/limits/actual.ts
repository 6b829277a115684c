import { Kind, type OperationDefinitionNode } from "graphql";
import { VALUES_PER_POINT, workCost } from "./weights.js";

/** One point per object of the answer, one per started hundred values of a list of scalars. */
function answerCost(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  if (Array.isArray(value)) {
    let cost = 0;
    let scalars = 0;
    for (const item of value) {
      if (item !== null && typeof item === "object") cost += answerCost(item);
      else scalars += 1;
    }
    return cost + Math.ceil(scalars / VALUES_PER_POINT);
  }
  let cost = 1;
  for (const child of Object.values(value)) cost += answerCost(child);
  return cost;
}

/**
 * The actual cost, counted from the answer (linear in its size): its objects and values, plus
 * the weight of each top-level mutation that succeeded. Never more than what was requested.
 */
export function actualCost(operation: OperationDefinitionNode, data: Readonly<Record<string, unknown>> | null | undefined): number {
  if (!data) return 0;
  const parent = operation.operation === "mutation" ? "Mutation" : operation.operation === "subscription" ? "Subscription" : "Query";
  let cost = answerCost(data) - 1;
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) continue;
    const value = data[sel.alias?.value ?? sel.name.value];
    if (value !== null && value !== undefined) cost += workCost(parent, sel.name.value);
  }
  return cost;
}
