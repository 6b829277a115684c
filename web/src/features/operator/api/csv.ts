import { ApiError } from "../../../lib/graphql";
import type { Range } from "../lib/range";
import { endOperatorSession, getOperatorSession } from "../lib/session";

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export type OperatorCsv = "usage" | "reconciliation";

/**
 * A finance CSV across customers, through the operator export route with the token in a header
 * (never in a URL; the reason is, as the route asks), saved under the name the API gives.
 */
export async function downloadOperatorCsv(kind: OperatorCsv, input: { reason: string; range: Range }): Promise<void> {
  const session = getOperatorSession();
  if (!session) throw new ApiError("UNAUTHENTICATED", "Sign in as an operator first.", undefined);
  const params = new URLSearchParams({ reason: input.reason, from: input.range.from.toISOString(), to: input.range.to.toISOString() });
  if (kind === "usage") params.set("granularity", "day");
  let response: Response;
  try {
    response = await fetch(`/operator/billing/${kind}.csv?${params}`, {
      headers: { authorization: `Bearer ${session.token}`, accept: "text/csv" },
    });
  } catch {
    throw new ApiError("NETWORK", "The service could not be reached. Check your connection and try again.", undefined);
  }
  const headerId = response.headers.get("x-request-id") ?? undefined;
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const error = new ApiError(
      text(body.code) ?? "INTERNAL",
      text(body.message) ?? `The export answered ${response.status}.`,
      text(body.requestId) ?? headerId,
    );
    if (error.code === "UNAUTHENTICATED") endOperatorSession();
    throw error;
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `${kind}.csv`;
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
