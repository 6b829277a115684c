import { Link } from "@tanstack/react-router";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import { type OverviewModel, useModelsOverview } from "../api/overview";
import { figuresOf, round2 } from "../lib/figures";
import { modelsMessages } from "../messages";
import "../styles.css";

/** Every asset type with its remaining-life and anomaly models: champion and challenger. */
export function ModelsOverviewTable({ tenantId }: { tenantId: string }) {
  const t = useT(modelsMessages);
  const c = useT(common);
  const overview = useModelsOverview(tenantId);
  if (overview.isPending) return <p className="muted">{c("state.loading")}</p>;
  if (overview.isError) return <ErrorNotice error={overview.error} title={t("error.load")} />;
  const types = overview.data.assetTypes.edges.map((e) => e.node);
  if (types.length === 0) {
    return (
      <div className="empty" data-empty="no-types">
        <p>{t("overview.noTypes")}</p>
        <p className="muted">{t("overview.noTypesHint")}</p>
      </div>
    );
  }
  const modelOf = (typeId: string, task: OverviewModel["task"]) =>
    overview.data.models.find((m) => m.assetTypeId === typeId && m.task === task);
  return (
    <table className="models-overview">
      <caption className="visually-hidden">{t("overview.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("overview.type")}</th>
          <th scope="col">{t("task.RUL")}</th>
          <th scope="col">{t("task.ANOMALY")}</th>
        </tr>
      </thead>
      <tbody>
        {types.map((type) => (
          <tr key={type.id} data-asset-type-id={type.id}>
            <td>
              <Link to="/models/$assetTypeId" params={{ assetTypeId: type.id }}>
                {type.name}
              </Link>
              <div className="muted">{type.key}</div>
            </td>
            <td>
              <ModelCell model={modelOf(type.id, "RUL")} />
            </td>
            <td>
              <ModelCell model={modelOf(type.id, "ANOMALY")} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ModelCell({ model }: { model: OverviewModel | undefined }) {
  const t = useT(modelsMessages);
  const f = useFormat();
  if (!model) return <span className="muted">{t("overview.noModel")}</span>;
  const champion = model.champion;
  const figures = champion ? figuresOf(champion.metrics) : undefined;
  return (
    <div className="model-cell" data-champion-version={champion?.version ?? ""}>
      {champion ? (
        <p>
          <span className="badge badge-champion">{t("alias.champion")}</span> {t("version.label", { n: champion.version })}
          {figures?.rmse !== undefined && (
            <span className="muted"> · {t("metric.rmseShort", { value: f.number(round2(figures.rmse)) })}</span>
          )}
          {figures?.falseAlarmShare !== undefined && (
            <span className="muted"> · {t("metric.falseAlarmsShort", { value: f.percent(figures.falseAlarmShare) })}</span>
          )}
        </p>
      ) : (
        <p className="muted">{t("model.noChampion")}</p>
      )}
      {model.challenger && (
        <p>
          <span className="badge badge-challenger">{t("alias.challenger")}</span> {t("version.label", { n: model.challenger.version })}
        </p>
      )}
    </div>
  );
}
