import { type FormEvent, useId, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import type { MaintenanceKind } from "../../../gql/graphql";
import { ApiError } from "../../../lib/graphql";
import { type Formatters, type Translate, useFormat, useT } from "../../../lib/i18n";
import { fromWallTime, toWallTime } from "../../../lib/wall-time";
import { useRecordMaintenanceEvent } from "../api/record";
import { KINDS } from "../lib/search";
import { maintenanceMessages } from "../messages";

export interface AssetChoice {
  readonly id: string;
  readonly name: string;
  readonly externalId: string;
}

type FieldName = "assetId" | "kind" | "occurredAt" | "note";
type FieldErrors = Partial<Record<FieldName, string>>;

const NOTE_MAX = 2000;

/** The API's VALIDATION names the field it refused (`extensions.field`); that message goes next to it. */
function fieldOf(error: unknown): FieldName | undefined {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION") return undefined;
  const field = error.extensions.field;
  return field === "assetId" || field === "kind" || field === "occurredAt" || field === "note" ? field : undefined;
}

function check(
  values: { assetId: string; kind: string; occurredAt: string; note: string },
  timeZone: string,
  t: Translate<keyof (typeof maintenanceMessages)["en"]>,
  format: Formatters,
): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.assetId) errors.assetId = t("error.asset");
  if (!values.kind) errors.kind = t("error.kind");
  const at = fromWallTime(values.occurredAt, timeZone);
  if (!at) errors.occurredAt = t("error.time");
  else if (at.getTime() > Date.now() + 60_000) errors.occurredAt = t("error.future");
  if ([...values.note].length > NOTE_MAX) errors.note = t("error.note", { max: format.number(NOTE_MAX) });
  return errors;
}

/**
 * Records a failure, repair or inspection. `asset` fixes the asset (its own log); otherwise the
 * person chooses among `assets`. The time is typed as a wall time in `timeZone`.
 */
export function RecordEventForm({
  id,
  tenantId,
  asset,
  assets,
  initialAssetId,
  timeZone,
}: {
  id: string;
  tenantId: string;
  asset?: AssetChoice | undefined;
  /** The asset chosen at first (the log's asset filter), when the asset is not fixed. */
  initialAssetId?: string | undefined;
  assets: readonly AssetChoice[];
  timeZone: string;
}) {
  const record = useRecordMaintenanceEvent(tenantId);
  const [assetId, setAssetId] = useState(asset?.id ?? initialAssetId ?? "");
  const [kind, setKind] = useState<MaintenanceKind | "">("");
  const [occurredAt, setOccurredAt] = useState(() => toWallTime(new Date(), timeZone));
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState("");
  const ids = useId();
  const t = useT(maintenanceMessages);
  const format = useFormat();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone("");
    const found = check({ assetId, kind, occurredAt, note }, timeZone, t, format);
    setErrors(found);
    const at = fromWallTime(occurredAt, timeZone);
    if (Object.keys(found).length > 0 || !kind || !at) return;
    record.mutate(
      { assetId, kind, occurredAt: at.toISOString(), note: note.trim() === "" ? null : note },
      {
        onSuccess: (row) => {
          setDone(t("form.done", { kind: t(`kind.${row.kind}`), asset: row.assetName, time: format.dateTime(row.occurredAt, timeZone) }));
          setNote("");
        },
        onError: (error) => {
          const field = fieldOf(error);
          if (field) setErrors({ [field]: error.message });
        },
      },
    );
  };

  const refusal = record.error && !fieldOf(record.error) ? record.error : undefined;
  const fieldError = (name: FieldName) =>
    errors[name] ? (
      <p id={`${ids}-${name}-error`} className="field-error">
        {errors[name]}
      </p>
    ) : null;
  const described = (name: FieldName, hint?: string) =>
    [errors[name] ? `${ids}-${name}-error` : "", hint ?? ""].filter(Boolean).join(" ") || undefined;

  return (
    <form id={id} className="record-form" aria-labelledby={`${ids}-title`} onSubmit={submit} noValidate>
      <h2 id={`${ids}-title`}>{t("form.title")}</h2>
      {refusal && <ErrorNotice error={refusal} title={t("form.failed")} />}
      {done && (
        <p role="status" className="notice notice-success">
          {done}
        </p>
      )}
      <div className="record-grid">
        {asset ? (
          <div className="field">
            <span className="label">{t("form.asset")}</span>
            <span>
              {asset.name} <span className="muted">({asset.externalId})</span>
            </span>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${ids}-asset`}>{t("form.asset")}</label>
            <select
              id={`${ids}-asset`}
              value={assetId}
              aria-invalid={errors.assetId ? true : undefined}
              aria-describedby={described("assetId")}
              onChange={(e) => setAssetId(e.target.value)}
            >
              <option value="">{t("form.chooseAsset")}</option>
              {assets.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.externalId ? `${a.name} (${a.externalId})` : a.name}
                </option>
              ))}
            </select>
            {fieldError("assetId")}
          </div>
        )}
        <fieldset className="kind-choice" aria-describedby={described("kind")}>
          <legend>{t("form.what")}</legend>
          {KINDS.map((k) => (
            <label key={k} title={t(`hint.${k}`)}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {t(`kind.${k}`)}
            </label>
          ))}
          {fieldError("kind")}
        </fieldset>
        <Field
          label={t("form.when", { zone: timeZone })}
          type="datetime-local"
          value={occurredAt}
          max={toWallTime(new Date(), timeZone)}
          onChange={(e) => setOccurredAt(e.target.value)}
          error={errors.occurredAt}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-note`}>{t("form.note")}</label>
        <textarea
          id={`${ids}-note`}
          rows={3}
          value={note}
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={described("note", `${ids}-note-hint`)}
          onChange={(e) => setNote(e.target.value)}
        />
        {fieldError("note")}
        <p id={`${ids}-note-hint`} className="hint">
          {t("form.noteHint", { max: format.number(NOTE_MAX) })}
        </p>
      </div>
      <button type="submit" className="primary" disabled={record.isPending}>
        {record.isPending ? t("form.pending") : t("form.submit")}
      </button>
    </form>
  );
}
