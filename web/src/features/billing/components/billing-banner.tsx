import { Link } from "@tanstack/react-router";
import { useFormat, useT } from "../../../lib/i18n";
import { useSession } from "../../../lib/session";
import { useBillingStanding } from "../api/billing-standing";
import { billingMessages } from "../messages";
import "../styles.css";

/** The tenant's billing standing on every page (past due with its grace end, read-only): nothing while in good standing. */
export function BillingBanner() {
  const session = useSession();
  const standing = useBillingStanding(session?.tenantId ?? "");
  const t = useT(billingMessages);
  const format = useFormat();
  const data = standing.data;
  // Loading, or the standing could not be read: the page itself shows its own state; the banner stays out of the way.
  if (!data) return null;
  const { status, graceEndsAt } = data.billingStanding;
  if (status !== "PAST_DUE" && status !== "READ_ONLY" && status !== "CANCELLED") return null;
  const canPay = data.viewer.scopes.includes("billing:write");
  const date = graceEndsAt ? format.dateTime(graceEndsAt) : "";
  const [title, text] =
    status === "PAST_DUE"
      ? [t("banner.pastDue.title"), t("banner.pastDue.text", { date })]
      : status === "READ_ONLY"
        ? [t("banner.readOnly.title"), graceEndsAt ? t("banner.readOnly.text", { date }) : t("banner.readOnly.textNoDate")]
        : [t("banner.cancelled.title"), t("banner.cancelled.text")];
  return (
    <section
      className={`billing-banner notice ${status === "PAST_DUE" ? "notice-warning" : "notice-error"}`}
      aria-labelledby="billing-banner-title"
      data-status={status}
    >
      <p className="notice-title" id="billing-banner-title">
        {title}
      </p>
      <p>{text}</p>
      <p>{canPay ? <Link to="/billing">{status === "CANCELLED" ? t("banner.resubscribe") : t("banner.pay")}</Link> : t("banner.ask")}</p>
    </section>
  );
}
