import { type FormEvent, useId, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import type { MaintenanceKind } from "../../../gql/graphql";
import { ApiError } from "../../../lib/graphql";
import { formatWallTime, fromWallTime, toWallTime } from "../../../lib/wall-time";
import { useRecordMaintenanceEvent } from "../api/record";
import { KINDS, kindLabel } from "../lib/search";

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

function check(values: { assetId: string; kind: string; occurredAt: string; note: string }, timeZone: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.assetId) errors.assetId = "Choose the asset it happened to.";
  if (!values.kind) errors.kind = "Choose what happened: a failure, a repair or an inspection.";
  const at = fromWallTime(values.occurredAt, timeZone);
  if (!at) errors.occurredAt = "Give the date and time it happened.";
  else if (at.getTime() > Date.now() + 60_000) errors.occurredAt = "The time is in the future: record events once they happened.";
  if ([...values.note].length > NOTE_MAX) errors.note = `The note may be at most ${NOTE_MAX.toLocaleString("en")} characters long.`;
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

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone("");
    const found = check({ assetId, kind, occurredAt, note }, timeZone);
    setErrors(found);
    const at = fromWallTime(occurredAt, timeZone);
    if (Object.keys(found).length > 0 || !kind || !at) return;
    record.mutate(
      { assetId, kind, occurredAt: at.toISOString(), note: note.trim() === "" ? null : note },
      {
        onSuccess: (row) => {
          setDone(`Recorded: ${kindLabel(row.kind)} of ${row.assetName} at ${formatWallTime(new Date(row.occurredAt), timeZone)}.`);
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
      <h2 id={`${ids}-title`}>Record an event</h2>
      {refusal && <ErrorNotice error={refusal} title="Could not record the event" />}
      {done && (
        <p role="status" className="notice notice-success">
          {done}
        </p>
      )}
      <div className="record-grid">
        {asset ? (
          <div className="field">
            <span className="label">Asset</span>
            <span>
              {asset.name} <span className="muted">({asset.externalId})</span>
            </span>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${ids}-asset`}>Asset</label>
            <select
              id={`${ids}-asset`}
              value={assetId}
              aria-invalid={errors.assetId ? true : undefined}
              aria-describedby={described("assetId")}
              onChange={(e) => setAssetId(e.target.value)}
            >
              <option value="">Choose an asset…</option>
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
          <legend>What happened</legend>
          {KINDS.map((k) => (
            <label key={k.value} title={k.hint}>
              <input type="radio" name="kind" value={k.value} checked={kind === k.value} onChange={() => setKind(k.value)} /> {k.label}
            </label>
          ))}
          {fieldError("kind")}
        </fieldset>
        <Field
          label={`When (${timeZone})`}
          type="datetime-local"
          value={occurredAt}
          max={toWallTime(new Date(), timeZone)}
          onChange={(e) => setOccurredAt(e.target.value)}
          error={errors.occurredAt}
        />
      </div>
      <div className="field">
        <label htmlFor={`${ids}-note`}>Note</label>
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
          Optional: what was found or done, parts replaced (at most {NOTE_MAX.toLocaleString("en")} characters).
        </p>
      </div>
      <button type="submit" className="primary" disabled={record.isPending}>
        {record.isPending ? "Recording…" : "Record event"}
      </button>
    </form>
  );
}
