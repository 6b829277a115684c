import { ApiError } from "../../../lib/graphql";
import { endSession, getSession } from "../../../lib/session";

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/**
 * The asset's raw points in [from, to) as CSV, through the export route with the member's token in
 * a header (never in a URL), saved by the browser under the name the API gives.
 */
export async function downloadCsv(input: { assetId: string; from: Date; to: Date; sensors: readonly string[]; fallbackName: string }) {
  const session = getSession();
  if (!session) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.", undefined);
  const params = new URLSearchParams({ from: input.from.toISOString(), to: input.to.toISOString() });
  if (input.sensors.length > 0) params.set("sensors", input.sensors.join(","));
  let response: Response;
  try {
    response = await fetch(`/export/assets/${encodeURIComponent(input.assetId)}.csv?${params}`, {
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
    if (error.code === "UNAUTHENTICATED") endSession("expired");
    throw error;
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? input.fallbackName;
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the file to the browser's download; the object URL is no longer needed.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
