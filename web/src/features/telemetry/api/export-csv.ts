import { downloadFile } from "../../../lib/download";
import { ApiError } from "../../../lib/graphql";
import { endSession, getSession } from "../../../lib/session";

/**
 * The asset's raw points in [from, to) as CSV, through the export route with the member's token in
 * a header (never in a URL), saved by the browser under the name the API gives.
 */
export async function downloadCsv(input: { assetId: string; from: Date; to: Date; sensors: readonly string[]; fallbackName: string }) {
  const session = getSession();
  if (!session) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.", undefined);
  const params = new URLSearchParams({ from: input.from.toISOString(), to: input.to.toISOString() });
  if (input.sensors.length > 0) params.set("sensors", input.sensors.join(","));
  await downloadFile({
    path: `/export/assets/${encodeURIComponent(input.assetId)}.csv?${params}`,
    token: session.token,
    fallbackName: input.fallbackName,
    onUnauthenticated: () => endSession("expired"),
  });
}
