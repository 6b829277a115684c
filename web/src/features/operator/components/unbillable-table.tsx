import { useFormat, useT } from "../../../lib/i18n";
import type { UnbillableRow } from "../api/unbillable";
import { operatorMessages } from "../messages";

/** The amounts per currency (integers in minor units: exact), currencies in alphabetical order. */
export function totalsByCurrency(rows: readonly UnbillableRow[]): [string, number][] {
  const sums = new Map<string, number>();
  for (const r of rows) if (r.currency) sums.set(r.currency, (sums.get(r.currency) ?? 0) + r.amount);
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** The hours a row covers: one hour, or the first and last of them with their count (UTC). */
function Hours({ row }: { row: UnbillableRow }) {
  const t = useT(operatorMessages);
  const f = useFormat();
  const first = f.dateTime(row.firstHour, "UTC");
  if (row.hours === 1) return <>{first}</>;
  const range = t("unbillable.hourRange", { from: first, to: f.dateTime(row.lastHour, "UTC") });
  return (
    <>
      {range}
      <br />
      <span className="muted">{t("unbillable.hours", { count: f.number(row.hours) })}</span>
    </>
  );
}

/** Per customer, meter and reason: the hours, the quantity and what it would have cost on the customer's plan. */
export function UnbillableTable({ rows }: { rows: readonly UnbillableRow[] }) {
  const t = useT(operatorMessages);
  const f = useFormat();
  const sorted = [...rows].sort(
    (a, b) =>
      a.tenantName.localeCompare(b.tenantName) ||
      a.tenantId.localeCompare(b.tenantId) ||
      a.meter.localeCompare(b.meter) ||
      a.reason.localeCompare(b.reason),
  );
  const totals = totalsByCurrency(rows);
  return (
    <table className="operator-table" aria-label={t("unbillable.title")}>
      <thead>
        <tr>
          <th scope="col">{t("col.customer")}</th>
          <th scope="col">{t("col.meter")}</th>
          <th scope="col">{t("col.why")}</th>
          <th scope="col">{t("col.hours")}</th>
          <th scope="col" className="numeric">
            {t("col.quantity")}
          </th>
          <th scope="col">{t("col.plan")}</th>
          <th scope="col" className="numeric">
            {t("col.amount")}
          </th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={`${r.tenantId}:${r.meter}:${r.reason}`} data-tenant-id={r.tenantId} data-meter={r.meter} data-reason={r.reason}>
            <th scope="row">{r.tenantName}</th>
            <td>{t(`meter.${r.meter}`)}</td>
            <td data-cell="reason">{t(`unbillable.${r.reason}`)}</td>
            <td className="nowrap" data-cell="hours">
              <Hours row={r} />
            </td>
            <td className="numeric" data-cell="quantity">
              {f.number(r.quantity)}
            </td>
            <td className="nowrap" data-cell="plan">
              {r.planCode ?? t("unbillable.noPlan")}
            </td>
            <td className="numeric" data-cell="amount" data-amount={r.amount}>
              {r.currency ? f.money(r.amount, r.currency) : t("unbillable.noPlan")}
            </td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        {totals.map(([currency, amount]) => (
          <tr key={currency} data-total={currency}>
            <th scope="row" colSpan={6}>
              {t("unbillable.total", { currency: currency.toUpperCase() })}
            </th>
            <td className="numeric" data-amount={amount}>
              {f.money(amount, currency)}
            </td>
          </tr>
        ))}
      </tfoot>
    </table>
  );
}
