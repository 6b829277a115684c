import { InvoiceLinesTable } from "../../../components/invoice-lines";
import { useFormat, useT } from "../../../lib/i18n";
import type { InvoicePreview } from "../api/invoice-preview";
import { operatorMessages } from "../messages";

/** The running invoice: plan, period, one line per price component and the total, amounts exact from minor units. */
export function InvoiceLines({ preview }: { preview: InvoicePreview }) {
  const t = useT(operatorMessages);
  const f = useFormat();
  return (
    <>
      <dl className="facts">
        <dt>{t("invoice.plan")}</dt>
        <dd>{preview.planName}</dd>
        <dt>{t("invoice.period")}</dt>
        <dd>{t("invoice.periodRange", { from: f.date(preview.periodStart, "UTC"), to: f.date(preview.periodEnd, "UTC") })}</dd>
      </dl>
      <InvoiceLinesTable preview={preview} className="operator-table" label={t("invoice.title")} />
    </>
  );
}
