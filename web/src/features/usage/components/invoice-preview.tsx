import type { InvoiceComponent } from "../../../gql/graphql";
import { useFormat, useT } from "../../../lib/i18n";
import { usageMessages } from "../messages";

export interface InvoiceView {
  readonly planName: string;
  readonly currency: string;
  readonly lines: readonly { component: InvoiceComponent; quantity: number; unitAmount: number; amount: number }[];
  readonly total: number;
}

/** The running period's invoice: its lines and total, every amount from integer minor units in the plan's currency. */
export function InvoicePreviewTable({ preview }: { preview: InvoiceView }) {
  const t = useT(usageMessages);
  const f = useFormat();
  const money = (minor: number) => f.money(minor, preview.currency);
  const item = (component: InvoiceComponent, quantity: number) => {
    switch (component) {
      case "BASE":
        return t("invoice.base");
      case "POINTS_INGESTED":
        return t("invoice.points", { thousands: f.number(Math.ceil(quantity / 1000)) });
      default:
        return t(`meter.${component}`);
    }
  };
  return (
    <table className="usage-table" data-table="invoice" data-currency={preview.currency} data-total={preview.total}>
      <caption>{t("invoice.caption", { plan: preview.planName })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("invoice.item")}</th>
          <th scope="col" className="num">
            {t("invoice.quantity")}
          </th>
          <th scope="col" className="num">
            {t("invoice.unit")}
          </th>
          <th scope="col" className="num">
            {t("invoice.amount")}
          </th>
        </tr>
      </thead>
      <tbody>
        {preview.lines.map((line) => (
          <tr key={line.component} data-component={line.component} data-amount={line.amount}>
            <th scope="row">{item(line.component, line.quantity)}</th>
            <td className="num">{f.number(line.quantity)}</td>
            <td className="num">
              {line.component === "POINTS_INGESTED" ? t("invoice.perThousand", { price: money(line.unitAmount) }) : money(line.unitAmount)}
            </td>
            <td className="num">{money(line.amount)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {t("invoice.total")}
          </th>
          <td className="num usage-total" data-cell="total">
            {money(preview.total)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
