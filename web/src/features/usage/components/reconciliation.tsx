import { useState } from "react";
import type { ReconciliationStatus, UnbillableReason, UsageMeter } from "../../../gql/graphql";
import { useFormat, useT } from "../../../lib/i18n";
import { usageMessages } from "../messages";
import { ReconciliationNotes } from "./reconciliation-notes";

interface Quantities {
  readonly meter: UsageMeter;
  readonly ledgerQuantity: number;
  readonly reportedQuantity: number;
  readonly confirmedQuantity: number;
  readonly inFlightQuantity: number;
  readonly rejectedQuantity: number;
  readonly unbillableQuantity: number;
  readonly status: ReconciliationStatus;
  readonly rejectedReason?: string | null;
  readonly unbillableReasons: readonly UnbillableReason[];
}

export interface ReconciliationView {
  readonly hours: readonly (Quantities & { readonly hour: string })[];
  readonly totals: readonly Quantities[];
}

/** A shape per status, so it reads without colour too. */
const SYMBOLS: Record<ReconciliationStatus, string> = {
  MATCH: "✓",
  UNREPORTED: "○",
  IN_FLIGHT: "→",
  MISMATCH: "✗",
  REJECTED: "⊘",
  UNBILLABLE: "⊖",
};

function StatusBadge({ status }: { status: ReconciliationStatus }) {
  const t = useT(usageMessages);
  return (
    <span className={`usage-status usage-status-${status.toLowerCase()}`} data-status={status}>
      <span aria-hidden="true">{SYMBOLS[status]}</span> {t(`status.${status}`)}
    </span>
  );
}

/** Why some of it reaches no invoice: Stripe's own words for a rejection, the translated reason for unbillable usage. */
function Reasons({ q }: { q: Quantities }) {
  const t = useT(usageMessages);
  if (!q.rejectedReason && q.unbillableReasons.length === 0) return null;
  return (
    <ul className="usage-reasons">
      {q.rejectedReason && <li data-reason="REJECTED">{t("recon.stripeReason", { reason: q.rejectedReason })}</li>}
      {q.unbillableReasons.map((r) => (
        <li key={r} data-reason={r}>
          {t(`unbillable.${r}`)}
        </li>
      ))}
    </ul>
  );
}

/** Hours shown at first and added per "Load more". */
const PAGE = 48;

function QuantityCells({ q }: { q: Quantities }) {
  const f = useFormat();
  return (
    <>
      <td className="num" data-cell="ledger">
        {f.number(q.ledgerQuantity)}
      </td>
      <td className="num" data-cell="reported">
        {f.number(q.reportedQuantity)}
      </td>
      <td className="num">{f.number(q.confirmedQuantity)}</td>
      <td className="num">{f.number(q.inFlightQuantity)}</td>
      <td className="num" data-cell="rejected">
        {f.number(q.rejectedQuantity)}
      </td>
      <td className="num" data-cell="unbillable">
        {f.number(q.unbillableQuantity)}
      </td>
      <td data-cell="status">
        <StatusBadge status={q.status} />
        <Reasons q={q} />
      </td>
    </>
  );
}

function Head({ hour }: { hour: boolean }) {
  const t = useT(usageMessages);
  return (
    <thead>
      <tr>
        {hour && <th scope="col">{t("recon.hour")}</th>}
        <th scope="col">{t("recon.meter")}</th>
        <th scope="col" className="num">
          {t("recon.ledger")}
        </th>
        <th scope="col" className="num">
          {t("recon.reported")}
        </th>
        <th scope="col" className="num">
          {t("recon.confirmed")}
        </th>
        <th scope="col" className="num">
          {t("recon.inFlight")}
        </th>
        <th scope="col" className="num">
          {t("recon.rejected")}
        </th>
        <th scope="col" className="num">
          {t("recon.unbillable")}
        </th>
        <th scope="col">{t("recon.status")}</th>
      </tr>
    </thead>
  );
}

/** The totals per meter, then the hours newest first (48 at a time). */
export function ReconciliationTables({ reconciliation }: { reconciliation: ReconciliationView }) {
  const t = useT(usageMessages);
  const f = useFormat();
  const [shown, setShown] = useState(PAGE);
  const hours = [...reconciliation.hours].reverse();
  if (hours.length === 0) {
    return (
      <div className="empty" role="status" data-empty="reconciliation">
        <p>{t("recon.empty")}</p>
      </div>
    );
  }
  return (
    <>
      <table className="usage-table usage-recon" data-table="reconciliation-totals">
        <caption>{t("recon.totals")}</caption>
        <Head hour={false} />
        <tbody>
          {reconciliation.totals.map((q) => (
            <tr key={q.meter} data-meter={q.meter}>
              <th scope="row">{t(`meter.${q.meter}`)}</th>
              <QuantityCells q={q} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted usage-legend">{t("status.legend")}</p>
      <ReconciliationNotes totals={reconciliation.totals} />
      <table className="usage-table usage-recon" data-table="reconciliation-hours" data-hours={hours.length}>
        <caption>{t("recon.hours")}</caption>
        <Head hour={true} />
        <tbody>
          {hours.slice(0, shown).map((h) => (
            <tr key={`${h.hour}/${h.meter}`} data-hour={h.hour} data-meter={h.meter}>
              <th scope="row" className="usage-hour">
                {f.dateTime(h.hour, "UTC")}
              </th>
              <td>{t(`meter.${h.meter}`)}</td>
              <QuantityCells q={h} />
            </tr>
          ))}
        </tbody>
      </table>
      <div className="pager">
        {shown < hours.length && (
          <button type="button" onClick={() => setShown((n) => n + PAGE)}>
            {t("recon.more")}
          </button>
        )}
        <p className="muted">{t("recon.shown", { shown: f.number(Math.min(shown, hours.length)), total: f.number(hours.length) })}</p>
      </div>
    </>
  );
}
