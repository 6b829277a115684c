import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useModelSchedule, useSetModelSchedule } from "../api/schedule";
import { plural } from "../lib/plural";
import { modelsMessages } from "../messages";
import "../styles.css";

type Schedule = { retrainEveryHours: number | null; driftCheckEveryHours: number | null; driftThreshold: number };

/** When the asset type is retrained and checked for drift; editable with models:write. */
export function ScheduleCard({ tenantId, assetTypeId, canWrite }: { tenantId: string; assetTypeId: string; canWrite: boolean }) {
  const t = useT(modelsMessages);
  const c = useT(common);
  const schedule = useModelSchedule(tenantId, assetTypeId);
  return (
    <section className="models-block settings" aria-labelledby="schedule-title">
      <h2 id="schedule-title">{t("schedule.title")}</h2>
      {schedule.isPending && <p className="muted">{c("state.loading")}</p>}
      {schedule.isError && <ErrorNotice error={schedule.error} title={t("error.schedule")} />}
      {schedule.data && <ScheduleFacts schedule={schedule.data} />}
      {schedule.data && canWrite && <ScheduleForm tenantId={tenantId} assetTypeId={assetTypeId} schedule={schedule.data} />}
    </section>
  );
}

function ScheduleFacts({ schedule }: { schedule: Schedule }) {
  const t = useT(modelsMessages);
  const f = useFormat();
  return (
    <dl
      className="facts"
      data-retrain={schedule.retrainEveryHours ?? ""}
      data-drift={schedule.driftCheckEveryHours ?? ""}
      data-threshold={schedule.driftThreshold}
    >
      <dt>{t("schedule.retrain")}</dt>
      <dd>{schedule.retrainEveryHours === null ? t("schedule.off") : plural(t, "schedule.everyHours", schedule.retrainEveryHours)}</dd>
      <dt>{t("schedule.drift")}</dt>
      <dd>
        {schedule.driftCheckEveryHours === null ? t("schedule.off") : plural(t, "schedule.everyHours", schedule.driftCheckEveryHours)}
      </dd>
      <dt>{t("schedule.threshold")}</dt>
      <dd>{f.number(schedule.driftThreshold)}</dd>
    </dl>
  );
}

const hoursText = (value: number | null) => (value === null ? "" : String(value));
const parseOptional = (text: string): number | null => (text.trim() === "" ? null : Number(text));

function ScheduleForm({ tenantId, assetTypeId, schedule }: { tenantId: string; assetTypeId: string; schedule: Schedule }) {
  const t = useT(modelsMessages);
  const [retrain, setRetrain] = useState(hoursText(schedule.retrainEveryHours));
  const [drift, setDrift] = useState(hoursText(schedule.driftCheckEveryHours));
  const [threshold, setThreshold] = useState(String(schedule.driftThreshold));
  const save = useSetModelSchedule(tenantId, assetTypeId);
  const [saved, setSaved] = useState(false);
  const fieldError = (field: string) =>
    save.error instanceof ApiError && save.error.extensions.field === field ? save.error.message : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate(
      {
        assetTypeId,
        retrainEveryHours: parseOptional(retrain),
        driftCheckEveryHours: parseOptional(drift),
        driftThreshold: Number(threshold),
      },
      { onSuccess: () => setSaved(true) },
    );
  };
  const generalError = save.isError && !(save.error instanceof ApiError && typeof save.error.extensions.field === "string");
  return (
    <form aria-label={t("schedule.form")} className="settings-form" onSubmit={submit} noValidate>
      <div className="settings-grid">
        <Field
          label={t("schedule.retrainField")}
          hint={t("schedule.hoursHint")}
          type="number"
          min={1}
          step={1}
          value={retrain}
          onChange={(e) => setRetrain(e.target.value)}
          error={fieldError("retrainEveryHours")}
        />
        <Field
          label={t("schedule.driftField")}
          hint={t("schedule.hoursHint")}
          type="number"
          min={1}
          step={1}
          value={drift}
          onChange={(e) => setDrift(e.target.value)}
          error={fieldError("driftCheckEveryHours")}
        />
        <Field
          label={t("schedule.thresholdField")}
          hint={t("schedule.thresholdHint")}
          type="number"
          min={0}
          step="any"
          value={threshold}
          onChange={(e) => setThreshold(e.target.value)}
          error={fieldError("driftThreshold")}
        />
      </div>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t("schedule.save")}
      </button>
      {saved && (
        <p className="notice notice-success" role="status">
          {t("schedule.saved")}
        </p>
      )}
      {generalError && <ErrorNotice error={save.error} title={t("error.saveSchedule")} />}
    </form>
  );
}
