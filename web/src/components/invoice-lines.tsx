import "./invoice-lines.css";
import type { InvoiceComponent } from "../gql/graphql";
import { useFormat, useT } from "../lib/i18n";
import { componentMessages } from "./messages";

export interface InvoiceLine {
  readonly component: InvoiceComponent;
  readonly quantity: number;
  readonly unitAmount: number;
  readonly amount: number;
}

export interface InvoiceLinesView {
  readonly currency: string;
  readonly lines: readonly InvoiceLine[];
  readonly total: number;
}

/**
 * An invoice's lines (item, quantity, unit price, amount) and its total, every amount exact from integer
 * minor units in the invoice's currency. The table is named by `caption` (shown) or `label` (aria-label);
 * `itemLabel` and `totalLabel` replace the default words where a page says more.
 */
export function InvoiceLinesTable(props: {
  preview: InvoiceLinesView;
  className: string;
  caption?: string;
  label?: string;
  itemLabel?: (line: InvoiceLine) => string;
  totalLabel?: string;
}) {
  const { preview } = props;
  const t = useT(componentMessages);
  const f = useFormat();
  const money = (minor: number) => f.money(minor, preview.currency);
  const item = props.itemLabel ?? ((line: InvoiceLine) => t(`invoice.component.${line.component}`));
  return (
    <table
      className={`${props.className} invoice-lines`}
      aria-label={props.label}
      data-table="invoice"
      data-currency={preview.currency}
      data-total={preview.total}
    >
      {props.caption !== undefined && <caption>{props.caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t("invoice.item")}</th>
          <th scope="col" className="invoice-amount">
            {t("invoice.quantity")}
          </th>
          <th scope="col" className="invoice-amount">
            {t("invoice.unitPrice")}
          </th>
          <th scope="col" className="invoice-amount">
            {t("invoice.amount")}
          </th>
        </tr>
      </thead>
      <tbody>
        {preview.lines.map((line) => (
          <tr key={line.component} data-component={line.component} data-amount={line.amount}>
            <th scope="row">{item(line)}</th>
            <td className="invoice-amount">{f.number(line.quantity)}</td>
            <td className="invoice-amount">
              {line.component === "POINTS_INGESTED" ? t("invoice.perThousand", { price: money(line.unitAmount) }) : money(line.unitAmount)}
            </td>
            <td className="invoice-amount">{money(line.amount)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {props.totalLabel ?? t("invoice.total")}
          </th>
          <td className="invoice-amount invoice-total" data-cell="total" data-testid="invoice-total">
            {money(preview.total)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
