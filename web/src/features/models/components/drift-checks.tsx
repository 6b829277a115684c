import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useDriftChecks } from "../api/drift";
import { psiOf, round2 } from "../lib/figures";
import { plural } from "../lib/plural";
import { modelsMessages } from "../messages";
import "../styles.css";

/** The asset type's latest drift checks with the sensors that drifted (PSI above the threshold). */
export function DriftChecks({
  tenantId,
  assetTypeId,
  versionNumbers,
}: {
  tenantId: string;
  assetTypeId: string;
  versionNumbers: ReadonlyMap<string, number>;
}) {
  const t = useT(modelsMessages);
  const c = useT(common);
  const f = useFormat();
  const checks = useDriftChecks(tenantId, assetTypeId);
  return (
    <section className="models-block drift" aria-labelledby="drift-title">
      <h2 id="drift-title">{t("drift.title")}</h2>
      {checks.isPending && <p className="muted">{c("state.loading")}</p>}
      {checks.isError && <ErrorNotice error={checks.error} title={t("error.drift")} />}
      {checks.data && checks.data.length === 0 && <p className="empty">{t("drift.none")}</p>}
      {checks.data && checks.data.length > 0 && (
        <table className="drift-checks">
          <caption className="visually-hidden">{t("drift.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("drift.when")}</th>
              <th scope="col">{t("drift.against")}</th>
              <th scope="col">{t("drift.window")}</th>
              <th scope="col">{t("drift.drifted")}</th>
              <th scope="col">{t("drift.training")}</th>
            </tr>
          </thead>
          <tbody>
            {checks.data.map((check) => {
              const psi = new Map(psiOf(check.psi).map((p) => [p.sensor, p.psi]));
              const version = versionNumbers.get(check.modelVersionId);
              return (
                <tr key={check.id} data-drift-check-id={check.id} data-drifted={check.drifted.join(",")}>
                  <td>
                    <time dateTime={check.createdAt}>{f.dateTime(check.createdAt)}</time>
                  </td>
                  <td>{version !== undefined ? t("version.label", { n: version }) : <code>{check.modelVersionId}</code>}</td>
                  <td>
                    {plural(t, "drift.hours", check.windowHours)}
                    <div className="muted">{plural(t, "drift.values", check.recentValues, { count: f.number(check.recentValues) })}</div>
                  </td>
                  <td>
                    {check.drifted.length === 0 ? (
                      <span className="muted">{t("drift.noneDrifted", { threshold: f.number(check.threshold) })}</span>
                    ) : (
                      <ul className="drifted">
                        {check.drifted.map((sensor) => (
                          <li key={sensor} className="badge badge-drift">
                            {t("drift.sensor", { sensor, psi: f.number(round2(psi.get(sensor) ?? Number.NaN)) })}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td>{check.trainingRunId ? t("drift.started") : t("drift.notStarted")}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
