import { useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useT } from "../../../lib/i18n";
import { downloadOperatorCsv, type OperatorCsv } from "../api/csv";
import type { Range } from "../lib/range";
import { operatorMessages } from "../messages";

/** Downloads a finance CSV across customers with the reason given for the view (the export logs it too). */
export function CsvButton({ kind, reason, range, hint }: { kind: OperatorCsv; reason: string; range?: Range; hint: string }) {
  const t = useT(operatorMessages);
  const c = useT(common);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const download = () => {
    setPending(true);
    setError(undefined);
    downloadOperatorCsv(kind, range ? { reason, range } : { reason })
      .catch(setError)
      .finally(() => setPending(false));
  };
  return (
    <div className="csv">
      <button type="button" onClick={download} disabled={pending}>
        {pending ? t("csv.preparing") : c("action.downloadCsv")}
      </button>
      <span className="muted">{hint}</span>
      {error !== undefined && <ErrorNotice error={error} title={t("csv.error")} />}
    </div>
  );
}
