import { downloadFile } from "../../../lib/download";
import { ApiError } from "../../../lib/graphql";
import { endSession, getSession } from "../../../lib/session";

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
  await downloadFile({
    path: pathOf(csv),
    token: session.token,
    fallbackName: `${csv.kind}.csv`,
    onUnauthenticated: () => endSession("expired"),
  });
}
