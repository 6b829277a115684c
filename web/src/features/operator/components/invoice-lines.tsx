import { useFormat, useT } from "../../../lib/i18n";
import type { InvoicePreview } from "../api/invoice-preview";
import { operatorMessages } from "../messages";

/** The running invoice: plan, period, one line per price component and the total, amounts exact from minor units. */
export function InvoiceLines({ preview }: { preview: InvoicePreview }) {
  const t = useT(operatorMessages);
  const f = useFormat();
  const money = (minor: number) => f.money(minor, preview.currency);
  return (
    <>
      <dl className="facts">
        <dt>{t("invoice.plan")}</dt>
        <dd>{preview.planName}</dd>
        <dt>{t("invoice.period")}</dt>
        <dd>{t("invoice.periodRange", { from: f.date(preview.periodStart, "UTC"), to: f.date(preview.periodEnd, "UTC") })}</dd>
      </dl>
      <table className="operator-table" aria-label={t("invoice.title")}>
        <thead>
          <tr>
            <th scope="col">{t("col.item")}</th>
            <th scope="col" className="numeric">
              {t("col.quantity")}
            </th>
            <th scope="col" className="numeric">
              {t("col.unitPrice")}
            </th>
            <th scope="col" className="numeric">
              {t("col.amount")}
            </th>
          </tr>
        </thead>
        <tbody>
          {preview.lines.map((line) => (
            <tr key={line.component} data-component={line.component}>
              <th scope="row">{t(`component.${line.component}`)}</th>
              <td className="numeric">{f.number(line.quantity)}</td>
              <td className="numeric">
                {line.component === "POINTS_INGESTED"
                  ? t("invoice.perThousand", { amount: money(line.unitAmount) })
                  : money(line.unitAmount)}
              </td>
              <td className="numeric">{money(line.amount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              {t("invoice.total")}
            </th>
            <td className="numeric" data-testid="invoice-total">
              {money(preview.total)}
            </td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}
