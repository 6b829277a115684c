import { type FormEvent, type ReactNode, useState } from "react";
import { Field } from "../../../components/field";
import { useT } from "../../../lib/i18n";
import { operatorMessages } from "../messages";
import "../styles.css";

const MIN = 5;
const MAX = 500;

/**
 * Asks why before a view loads anything: the API records every operator read with its reason.
 * Once given, the view renders with it and says that it is logged; "Change reason" asks again.
 * Nothing is kept beyond the page: another view, or a reload, asks anew.
 */
export function ReasonGate({ scope, children }: { scope: "platform" | "tenant"; children: (reason: string) => ReactNode }) {
  const t = useT(operatorMessages);
  const [reason, setReason] = useState<string>();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = draft.trim();
    if (trimmed.length < MIN) return setError(t("reason.tooShort"));
    if (trimmed.length > MAX) return setError(t("reason.tooLong"));
    setError(undefined);
    setReason(trimmed);
  };

  if (reason === undefined) {
    return (
      <form className="reason-form" aria-label={t("reason.form")} onSubmit={submit} noValidate>
        <Field
          label={t("reason.label")}
          hint={`${t("reason.hint")} ${t(`reason.scope.${scope}`)}`}
          error={error}
          name="reason"
          autoComplete="off"
          required
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="primary">
          {t("reason.submit")}
        </button>
      </form>
    );
  }
  return (
    <>
      <div className="notice reason-logged" data-testid="reason-logged">
        <p>{t("reason.logged", { reason })}</p>
        <button type="button" className="small" onClick={() => setReason(undefined)}>
          {t("reason.change")}
        </button>
      </div>
      {children(reason)}
    </>
  );
}
