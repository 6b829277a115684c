import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { Field } from "../../../components/field";
import { ApiError } from "../../../lib/graphql";
import { common, useFormat, useT } from "../../../lib/i18n";
import { type AlertRuleRow, useAlertRules, useSetAlertRule } from "../api/alert-rules";
import { modelsMessages } from "../messages";
import "../styles.css";

/** When the asset type's predictions raise alerts: a remaining-life threshold and the anomaly alarm. */
export function AlertRuleCard({ tenantId, assetTypeId, canWrite }: { tenantId: string; assetTypeId: string; canWrite: boolean }) {
  const t = useT(modelsMessages);
  const c = useT(common);
  const f = useFormat();
  const rules = useAlertRules(tenantId);
  const rule = rules.data?.find((r) => r.assetTypeId === assetTypeId);
  return (
    <section className="models-block settings" aria-labelledby="alert-rule-title">
      <h2 id="alert-rule-title">{t("rule.title")}</h2>
      {rules.isPending && <p className="muted">{c("state.loading")}</p>}
      {rules.isError && <ErrorNotice error={rules.error} title={t("error.rules")} />}
      {rules.data && (
        <dl className="facts" data-rul-below={rule?.rulBelow ?? ""} data-anomaly={rule?.anomaly ? "true" : "false"}>
          <dt>{t("rule.rul")}</dt>
          <dd>{rule?.rulBelow != null ? t("rule.rulBelow", { cycles: f.number(rule.rulBelow) }) : t("rule.off")}</dd>
          <dt>{t("rule.anomaly")}</dt>
          <dd>{rule?.anomaly ? t("rule.anomalyOn") : t("rule.off")}</dd>
          {rule && (
            <>
              <dt>{t("rule.updated")}</dt>
              <dd>
                <time dateTime={rule.updatedAt}>{f.dateTime(rule.updatedAt)}</time>
              </dd>
            </>
          )}
        </dl>
      )}
      {rules.data && canWrite && <RuleForm tenantId={tenantId} assetTypeId={assetTypeId} rule={rule} />}
    </section>
  );
}

function RuleForm({ tenantId, assetTypeId, rule }: { tenantId: string; assetTypeId: string; rule: AlertRuleRow | undefined }) {
  const t = useT(modelsMessages);
  const [rulBelow, setRulBelow] = useState(rule?.rulBelow == null ? "" : String(rule.rulBelow));
  const [anomaly, setAnomaly] = useState(rule?.anomaly ?? false);
  const [saved, setSaved] = useState(false);
  const save = useSetAlertRule(tenantId);
  const fieldError = save.error instanceof ApiError && save.error.extensions.field === "rulBelow" ? save.error.message : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate({ assetTypeId, rulBelow: rulBelow.trim() === "" ? null : Number(rulBelow), anomaly }, { onSuccess: () => setSaved(true) });
  };
  return (
    <form aria-label={t("rule.form")} className="settings-form" onSubmit={submit} noValidate>
      <Field
        label={t("rule.rulField")}
        hint={t("rule.rulHint")}
        type="number"
        min={0}
        step="any"
        value={rulBelow}
        onChange={(e) => setRulBelow(e.target.value)}
        error={fieldError}
      />
      <label className="check">
        <input type="checkbox" checked={anomaly} onChange={(e) => setAnomaly(e.target.checked)} /> {t("rule.anomalyField")}
      </label>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t("rule.save")}
      </button>
      {saved && (
        <p className="notice notice-success" role="status">
          {t("rule.saved")}
        </p>
      )}
      {save.isError && !fieldError && <ErrorNotice error={save.error} title={t("error.saveRule")} />}
    </form>
  );
}
