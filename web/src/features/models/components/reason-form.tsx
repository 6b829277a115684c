import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { common, useT } from "../../../lib/i18n";
import { type AliasChange, useChangeChampion } from "../api/aliases";
import { modelsMessages } from "../messages";

/** Asks why before a promotion or a rollback (the API records the reason in the audit log). */
export function ReasonForm({
  tenantId,
  change,
  title,
  submitLabel,
  onDone,
  onClose,
}: {
  tenantId: string;
  change: AliasChange;
  title: string;
  submitLabel: string;
  onDone: (championVersion: number | null) => void;
  onClose: () => void;
}) {
  const t = useT(modelsMessages);
  const c = useT(common);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const mutation = useChangeChampion(tenantId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === "") {
      setMissing(true);
      return;
    }
    mutation.mutate({ change, reason: reason.trim() }, { onSuccess: (model) => onDone(model.champion?.version ?? null) });
  };
  return (
    <form aria-label={title} className="reason-form" onSubmit={submit} noValidate>
      <p className="notice-title">{title}</p>
      <Field
        label={t("reason.label")}
        hint={t("reason.hint")}
        value={reason}
        maxLength={500}
        onChange={(e) => {
          setReason(e.target.value);
          setMissing(false);
        }}
        error={missing ? t("reason.missing") : undefined}
      />
      {mutation.isError && <ErrorNotice error={mutation.error} title={t("error.champion")} />}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {submitLabel}
        </button>
        <button type="button" onClick={onClose}>
          {c("action.cancel")}
        </button>
      </div>
    </form>
  );
}
