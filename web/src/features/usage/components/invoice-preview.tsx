import { type InvoiceLine, InvoiceLinesTable, type InvoiceLinesView } from "../../../components/invoice-lines";
import { useFormat, useT } from "../../../lib/i18n";
import { usageMessages } from "../messages";

export interface InvoiceView extends InvoiceLinesView {
  readonly planName: string;
}

/** The running period's invoice: its lines and total, every amount from integer minor units in the plan's currency. */
export function InvoicePreviewTable({ preview }: { preview: InvoiceView }) {
  const t = useT(usageMessages);
  const f = useFormat();
  const item = (line: InvoiceLine) => {
    switch (line.component) {
      case "BASE":
        return t("invoice.base");
      case "POINTS_INGESTED":
        return t("invoice.points", { thousands: f.number(Math.ceil(line.quantity / 1000)) });
      default:
        return t(`meter.${line.component}`);
    }
  };
  return (
    <InvoiceLinesTable
      preview={preview}
      className="usage-table"
      caption={t("invoice.caption", { plan: preview.planName })}
      itemLabel={item}
      totalLabel={t("invoice.total")}
    />
  );
}
