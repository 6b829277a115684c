import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import type { ModelTask } from "../../../gql/graphql";
import { common, type Translate, useFormat, useT } from "../../../lib/i18n";
import { type RunRow, useCancelRun, useRunProgress, useTrainingRuns, useTrainModel } from "../api/runs";
import { type ModelsKey, modelsMessages } from "../messages";
import "../styles.css";

/** Start a training run, and the latest runs with the live progress of those still running. */
export function TrainingPanel({
  tenantId,
  assetTypeId,
  canWrite,
  versionNumbers,
}: {
  tenantId: string;
  assetTypeId: string;
  canWrite: boolean;
  /** Version id → its number, to name what a run registered. */
  versionNumbers: ReadonlyMap<string, number>;
}) {
  const t = useT(modelsMessages);
  const c = useT(common);
  const runs = useTrainingRuns(tenantId, assetTypeId);
  return (
    <section className="models-block training" aria-labelledby="training-title">
      <h2 id="training-title">{t("training.title")}</h2>
      {canWrite && <TrainForm tenantId={tenantId} assetTypeId={assetTypeId} />}
      {runs.isPending && <p className="muted">{c("state.loading")}</p>}
      {runs.isError && <ErrorNotice error={runs.error} title={t("error.runs")} />}
      {runs.data && runs.data.length === 0 && <p className="empty">{t("training.none")}</p>}
      {runs.data && runs.data.length > 0 && (
        <table className="runs">
          <caption className="visually-hidden">{t("training.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("training.started")}</th>
              <th scope="col">{t("training.task")}</th>
              <th scope="col">{t("training.reason")}</th>
              <th scope="col">{t("training.status")}</th>
              <th scope="col">{t("training.outcome")}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <RunLine key={run.id} tenantId={tenantId} run={run} canWrite={canWrite} versionNumbers={versionNumbers} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TrainForm({ tenantId, assetTypeId }: { tenantId: string; assetTypeId: string }) {
  const t = useT(modelsMessages);
  const [task, setTask] = useState<ModelTask>("RUL");
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const train = useTrainModel(tenantId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim() === "") {
      setMissing(true);
      return;
    }
    train.mutate({ assetTypeId, task, reason: reason.trim() }, { onSuccess: () => setReason("") });
  };
  return (
    <form aria-label={t("train.form")} className="train-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="train-task">{t("train.task")}</label>
        <select id="train-task" value={task} onChange={(e) => setTask(e.target.value === "ANOMALY" ? "ANOMALY" : "RUL")}>
          <option value="RUL">{t("task.RUL")}</option>
          <option value="ANOMALY">{t("task.ANOMALY")}</option>
        </select>
      </div>
      <Field
        label={t("reason.label")}
        hint={t("train.reasonHint")}
        value={reason}
        maxLength={500}
        onChange={(e) => {
          setReason(e.target.value);
          setMissing(false);
        }}
        error={missing ? t("reason.missing") : undefined}
      />
      <button type="submit" className="primary" disabled={train.isPending}>
        {t("train.submit")}
      </button>
      {train.isError && <ErrorNotice error={train.error} title={t("error.train")} />}
    </form>
  );
}

function RunLine({
  tenantId,
  run,
  canWrite,
  versionNumbers,
}: {
  tenantId: string;
  run: RunRow;
  canWrite: boolean;
  versionNumbers: ReadonlyMap<string, number>;
}) {
  const t = useT(modelsMessages);
  const f = useFormat();
  const live = useRunProgress(tenantId, run.id, run.status === "RUNNING");
  const cancel = useCancelRun(tenantId);
  // The list's row wins once it says the run ended (the poll stops then and keeps its last answer).
  const polled = run.status === "RUNNING" ? live.data : undefined;
  const current = polled ?? run;
  const progress = polled?.progress ?? null;
  const versionId = current.versionId ?? null;
  const versionNumber = versionId ? versionNumbers.get(versionId) : undefined;
  return (
    <tr data-run-id={run.id} data-status={current.status}>
      <td>
        <time dateTime={run.startedAt}>{f.dateTime(run.startedAt)}</time>
        <div className="muted">{t(`trigger.${run.trigger}`)}</div>
      </td>
      <td>{t(`task.${run.task}`)}</td>
      <td className="reason">{run.reason}</td>
      <td>
        <span className={`badge run-${current.status.toLowerCase()}`}>{t(`status.${current.status}`)}</span>
        {current.status === "RUNNING" && (
          <div className="progress" data-stage={progress?.stage ?? ""} data-percent={progress?.percent ?? ""}>
            <progress max={100} value={progress?.percent ?? 0} aria-label={t("training.progressLabel")} />
            <span>
              {progress
                ? t("training.progress", { stage: stageName(t, progress.stage), percent: f.percent(progress.percent / 100) })
                : t("training.waiting")}
            </span>
          </div>
        )}
        {live.isError && <ErrorNotice error={live.error} title={t("error.progress")} />}
      </td>
      <td>
        {current.status === "SUCCEEDED" && versionId && (
          <p data-version-id={versionId}>
            {versionNumber !== undefined ? t("version.label", { n: versionNumber }) : t("training.versionRegistered")}
            {current.promoted === true && <span className="badge badge-champion">{t("training.promoted")}</span>}
            {current.promoted === false && <span className="badge badge-challenger">{t("training.notPromoted")}</span>}
          </p>
        )}
        {current.status === "FAILED" && <p className="field-error">{current.error}</p>}
        {current.status === "CANCELLED" && <p className="muted">{t("training.cancelledNote")}</p>}
        {current.status === "RUNNING" && canWrite && (
          <button type="button" className="small" disabled={cancel.isPending} onClick={() => cancel.mutate(run.id)}>
            {t("training.cancel")}
          </button>
        )}
        {cancel.isError && <ErrorNotice error={cancel.error} title={t("error.cancel")} />}
      </td>
    </tr>
  );
}

const STAGES = ["planning", "fitting", "registering", "done", "failed", "cancelled"] as const;

function stageName(t: Translate<ModelsKey>, stage: string): string {
  const known = STAGES.find((s) => s === stage);
  return known ? t(`stage.${known}`) : stage;
}
