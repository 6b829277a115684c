import type { UnbillableReason } from "../../../gql/graphql";
import { useFormat, useT } from "../../../lib/i18n";
import { usageMessages } from "../messages";

const REASONS: readonly UnbillableReason[] = ["TOO_OLD", "BEFORE_SUBSCRIPTION", "CUSTOMER_DELETED"];

interface Held {
  readonly rejectedQuantity: number;
  readonly unbillableQuantity: number;
  readonly unbillableReasons: readonly UnbillableReason[];
}

/**
 * What "Rejected by Stripe" and "Unbillable" mean and what to do, shown only when the range has
 * some: how much of it, why, and who acts on it.
 */
export function ReconciliationNotes({ totals }: { totals: readonly Held[] }) {
  const t = useT(usageMessages);
  const f = useFormat();
  const rejected = totals.reduce((sum, q) => sum + q.rejectedQuantity, 0);
  const unbillable = totals.reduce((sum, q) => sum + q.unbillableQuantity, 0);
  const reasons = new Set(totals.flatMap((q) => q.unbillableReasons));
  if (rejected === 0 && unbillable === 0) return null;
  return (
    <div className="usage-notes">
      {rejected > 0 && (
        <section className="notice notice-warning" aria-labelledby="usage-note-rejected" data-note="REJECTED">
          <h3 id="usage-note-rejected">{t("note.rejected.title")}</h3>
          <p>{t("note.rejected.what", { quantity: f.number(rejected) })}</p>
          <p>{t("note.rejected.todo")}</p>
        </section>
      )}
      {unbillable > 0 && (
        <section className="notice" aria-labelledby="usage-note-unbillable" data-note="UNBILLABLE">
          <h3 id="usage-note-unbillable">{t("note.unbillable.title")}</h3>
          <p>{t("note.unbillable.what", { quantity: f.number(unbillable) })}</p>
          <dl className="usage-reason-list">
            {REASONS.filter((r) => reasons.has(r)).map((r) => (
              <div key={r}>
                <dt>{t(`unbillable.${r}`)}</dt>
                <dd>{t(`unbillable.${r}.text`)}</dd>
              </div>
            ))}
          </dl>
          <p>{t("note.unbillable.todo")}</p>
        </section>
      )}
    </div>
  );
}
