import { downloadFile } from "../../../lib/download";
import { ApiError } from "../../../lib/graphql";
import type { Range } from "../lib/range";
import { endOperatorSession, getOperatorSession } from "../lib/session";

export type OperatorCsv = "usage" | "reconciliation" | "unbillable";

/**
 * A finance CSV across customers, through the operator export route with the token in a header
 * (never in a URL; the reason is, as the route asks), saved under the name the API gives.
 */
export async function downloadOperatorCsv(kind: OperatorCsv, input: { reason: string; range?: Range }): Promise<void> {
  const session = getOperatorSession();
  if (!session) throw new ApiError("UNAUTHENTICATED", "Sign in as an operator first.", undefined);
  const params = new URLSearchParams({ reason: input.reason });
  if (input.range) {
    params.set("from", input.range.from.toISOString());
    params.set("to", input.range.to.toISOString());
  }
  if (kind === "usage") params.set("granularity", "day");
  await downloadFile({
    path: `/operator/billing/${kind}.csv?${params}`,
    token: session.token,
    fallbackName: `${kind}.csv`,
    onUnauthenticated: endOperatorSession,
  });
}
