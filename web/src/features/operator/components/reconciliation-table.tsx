import { useFormat, useT } from "../../../lib/i18n";
import type { ReconciliationTotal } from "../api/reconciliation";
import { operatorMessages } from "../messages";

/** Per customer and meter: the ledger, the hourly totals and what Stripe was told, with the verdict and why none bills. */
export function ReconciliationTable({ rows }: { rows: readonly ReconciliationTotal[] }) {
  const t = useT(operatorMessages);
  const f = useFormat();
  const sorted = [...rows].sort(
    (a, b) => a.tenantName.localeCompare(b.tenantName) || a.tenantId.localeCompare(b.tenantId) || a.meter.localeCompare(b.meter),
  );
  return (
    <table className="operator-table recon-table" aria-label={t("recon.title")}>
      <thead>
        <tr>
          <th scope="col">{t("col.customer")}</th>
          <th scope="col">{t("col.meter")}</th>
          <th scope="col" className="numeric">
            {t("col.ledger")}
          </th>
          <th scope="col" className="numeric">
            {t("col.hourly")}
          </th>
          <th scope="col" className="numeric">
            {t("col.reported")}
          </th>
          <th scope="col" className="numeric">
            {t("col.confirmed")}
          </th>
          <th scope="col" className="numeric">
            {t("col.inFlight")}
          </th>
          <th scope="col" className="numeric">
            {t("col.rejected")}
          </th>
          <th scope="col" className="numeric">
            {t("col.unbillable")}
          </th>
          <th scope="col">{t("col.status")}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => (
          <tr key={`${r.tenantId}:${r.meter}`} data-tenant-id={r.tenantId} data-meter={r.meter}>
            <th scope="row">{r.tenantName}</th>
            <td>{t(`meter.${r.meter}`)}</td>
            <td className="numeric">{f.number(r.ledgerQuantity)}</td>
            <td className="numeric">{f.number(r.hourlyQuantity)}</td>
            <td className="numeric">{f.number(r.reportedQuantity)}</td>
            <td className="numeric">{f.number(r.confirmedQuantity)}</td>
            <td className="numeric">{f.number(r.inFlightQuantity)}</td>
            <td className="numeric" data-cell="rejected">
              {f.number(r.rejectedQuantity)}
            </td>
            <td className="numeric" data-cell="unbillable">
              {f.number(r.unbillableQuantity)}
            </td>
            <td data-cell="status">
              <span className={`recon recon-${r.status.toLowerCase()}`} data-status={r.status}>
                {t(`recon.${r.status}`)}
              </span>
              {(r.rejectedReason || r.unbillableReasons.length > 0) && (
                <ul className="recon-reasons">
                  {r.rejectedReason && <li data-reason="REJECTED">{t("recon.stripeReason", { reason: r.rejectedReason })}</li>}
                  {r.unbillableReasons.map((u) => (
                    <li key={u} data-reason={u}>
                      {t(`unbillable.${u}`)}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
