import { useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useT } from "../../../lib/i18n";
import { type BillingCsv, downloadBillingCsv } from "../api/download-csv";
import { usageMessages } from "../messages";

/** "Download CSV": the API's own CSV of the view, saved by the browser. */
/** `describedBy`: the id of the heading of the view it downloads (three buttons share the name). */
export function CsvButton({ csv, describedBy }: { csv: BillingCsv; describedBy: string }) {
  const t = useT(usageMessages);
  const c = useT(common);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      await downloadBillingCsv(csv);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="usage-csv">
      <button type="button" onClick={download} disabled={busy} data-csv={csv.kind} aria-describedby={describedBy}>
        {busy ? t("csv.preparing") : c("action.downloadCsv")}
      </button>
      {error !== null && <ErrorNotice error={error} title={t("csv.error")} />}
    </div>
  );
}
