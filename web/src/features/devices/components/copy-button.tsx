import { useEffect, useState } from "react";
import { common, useT } from "../../../lib/i18n";
import { deviceMessages } from "../messages";

type CopyState = "idle" | "copied" | "failed";

/** Copies `text` to the clipboard; says "Copied", or how to copy by hand when the browser refuses. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const t = useT(common);
  const td = useT(deviceMessages);
  const [state, setState] = useState<CopyState>("idle");
  useEffect(() => {
    if (state !== "copied") return;
    const timer = setTimeout(() => setState("idle"), 3_000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setState("copied"),
      () => setState("failed"),
    );
  };
  return (
    <span className="copy">
      <button type="button" onClick={copy}>
        {state === "copied" ? t("action.copied") : label}
      </button>
      <span role="status" className={state === "failed" ? "field-error" : "visually-hidden"}>
        {state === "failed" ? td("issued.copyFailed") : state === "copied" ? t("action.copied") : ""}
      </span>
    </span>
  );
}
