import { useState } from "react";
import { common, useT } from "../../../lib/i18n";

/** A button that asks once more, in place, before it does something that cannot be undone. */
export function ConfirmAction({
  label,
  ariaLabel,
  question,
  confirm,
  busy,
  onConfirm,
}: {
  label: string;
  ariaLabel: string;
  question: string;
  confirm: string;
  busy: boolean;
  onConfirm: () => void;
}) {
  const c = useT(common);
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" aria-label={ariaLabel} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span className="confirm">
      <span className="muted">{question}</span>
      <button type="button" className="danger" disabled={busy} onClick={onConfirm}>
        {confirm}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {c("action.cancel")}
      </button>
    </span>
  );
}
