import { ApiError } from "../../../lib/graphql";
import { endSession, getSession } from "../../../lib/session";

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The billing CSV routes of the API (src/billing/export-routes.ts). */
export type BillingCsv =
  | { readonly kind: "usage"; readonly from: string; readonly to: string }
  | { readonly kind: "invoice-preview" }
  | { readonly kind: "reconciliation"; readonly from: string; readonly to: string };

function pathOf(csv: BillingCsv): string {
  switch (csv.kind) {
    case "usage":
      return `/billing/usage.csv?${new URLSearchParams({ from: csv.from, to: csv.to, granularity: "DAY" })}`;
    case "invoice-preview":
      return "/billing/invoice-preview.csv";
    case "reconciliation":
      return `/billing/reconciliation.csv?${new URLSearchParams({ from: csv.from, to: csv.to })}`;
  }
}

/**
 * Fetches one of the API's billing CSVs with the member's token in a header (never in a URL) and
 * hands the bytes to the browser's download under the name the API gives.
 */
export async function downloadBillingCsv(csv: BillingCsv): Promise<void> {
  const session = getSession();
  if (!session) throw new ApiError("UNAUTHENTICATED", "Sign in to continue.", undefined);
  let response: Response;
  try {
    response = await fetch(pathOf(csv), { headers: { authorization: `Bearer ${session.token}`, accept: "text/csv" } });
  } catch {
    throw new ApiError("NETWORK", "The service could not be reached. Check your connection and try again.", undefined);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const error = new ApiError(
      text(body.code) ?? "INTERNAL",
      text(body.message) ?? `The export answered ${response.status}.`,
      text(body.requestId) ?? response.headers.get("x-request-id") ?? undefined,
    );
    if (error.code === "UNAUTHENTICATED") endSession("expired");
    throw error;
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? `${csv.kind}.csv`;
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
