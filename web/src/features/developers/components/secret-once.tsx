import { useState } from "react";
import { common, useT } from "../../../lib/i18n";
import { developersMessages } from "../messages";

/** A secret shown this once: the text to select, and a button that copies it. */
export function SecretOnce({ label, secret, testId }: { label: string; secret: string; testId: string }) {
  const t = useT(developersMessages);
  const c = useT(common);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = () => {
    navigator.clipboard.writeText(secret).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  };
  return (
    <div className="secret-once">
      <p className="secret-label">{label}</p>
      <div className="secret-row">
        <code data-testid={testId} className="secret">
          {secret}
        </code>
        <button type="button" onClick={copy}>
          {state === "copied" ? c("action.copied") : c("action.copy")}
        </button>
      </div>
      {state === "failed" && <p className="field-error">{t("copy.failed")}</p>}
    </div>
  );
}
