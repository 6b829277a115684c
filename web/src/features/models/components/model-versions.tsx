import { useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { common, useFormat, useT } from "../../../lib/i18n";
import type { AliasChange } from "../api/aliases";
import { type TypeModel, useModelVersions, type VersionRow } from "../api/models";
import { figuresOf, lineageOf, lineageSpan, round2 } from "../lib/figures";
import { plural } from "../lib/plural";
import { modelsMessages } from "../messages";
import { ReasonForm } from "./reason-form";
import "../styles.css";

/** One model of the asset type: champion and challenger, its versions with figures and lineage, promote and roll back. */
export function ModelVersions({ tenantId, model, canPromote }: { tenantId: string; model: TypeModel; canPromote: boolean }) {
  const t = useT(modelsMessages);
  const c = useT(common);
  const versions = useModelVersions(tenantId, model.id);
  const [change, setChange] = useState<AliasChange | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const headingId = `model-${model.id}`;
  const pending = change?.action === "promote" ? versions.data?.edges.find((e) => e.node.id === change.versionId)?.node : undefined;
  return (
    <section className="models-block model" aria-labelledby={headingId} data-model-id={model.id} data-task={model.task}>
      <div className="heading-line">
        <h3 id={headingId}>{t(`task.${model.task}`)}</h3>
        <p
          className="model-aliases"
          data-champion-version-id={model.champion?.id ?? ""}
          data-challenger-version-id={model.challenger?.id ?? ""}
        >
          {model.champion ? (
            <span>
              <span className="badge badge-champion">{t("alias.champion")}</span> {t("version.label", { n: model.champion.version })}
            </span>
          ) : (
            <span className="muted">{t("model.noChampion")}</span>
          )}
          {model.challenger && (
            <span>
              {" "}
              <span className="badge badge-challenger">{t("alias.challenger")}</span> {t("version.label", { n: model.challenger.version })}
            </span>
          )}
        </p>
        {canPromote && model.champion && !change && (
          <button type="button" className="small" onClick={() => setChange({ action: "rollback", modelId: model.id })}>
            {t("rollback.button")}
          </button>
        )}
      </div>
      {done && (
        <p className="notice notice-success" role="status">
          {done}
        </p>
      )}
      {change && (
        <ReasonForm
          key={change.action === "promote" ? change.versionId : "rollback"}
          tenantId={tenantId}
          change={change}
          title={change.action === "promote" ? t("promote.title", { n: pending?.version ?? "" }) : t("rollback.title")}
          submitLabel={change.action === "promote" ? t("promote.submit") : t("rollback.submit")}
          onDone={(version) => {
            setDone(version === null ? t("champion.none") : t("champion.now", { n: version }));
            setChange(undefined);
          }}
          onClose={() => setChange(undefined)}
        />
      )}
      {versions.isPending && <p className="muted">{c("state.loading")}</p>}
      {versions.isError && <ErrorNotice error={versions.error} title={t("error.versions")} />}
      {versions.data && versions.data.edges.length === 0 && <p className="empty">{t("versions.none")}</p>}
      {versions.data && versions.data.edges.length > 0 && (
        <table className="versions">
          <caption className="visually-hidden">{t("versions.caption", { task: t(`task.${model.task}`) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("versions.version")}</th>
              <th scope="col">{t("versions.trained")}</th>
              <th scope="col">{t("versions.figures")}</th>
              <th scope="col">{t("versions.lineage")}</th>
              {canPromote && <th scope="col">{t("versions.actions")}</th>}
            </tr>
          </thead>
          <tbody>
            {versions.data.edges.map(({ node }) => (
              <VersionLine
                key={node.id}
                version={node}
                alias={node.id === model.champion?.id ? "champion" : node.id === model.challenger?.id ? "challenger" : undefined}
                canPromote={canPromote}
                onPromote={() => {
                  setDone(undefined);
                  setChange({ action: "promote", versionId: node.id });
                }}
              />
            ))}
          </tbody>
        </table>
      )}
      {versions.data?.pageInfo.hasNextPage && <p className="muted">{t("versions.more")}</p>}
    </section>
  );
}

function VersionLine({
  version,
  alias,
  canPromote,
  onPromote,
}: {
  version: VersionRow;
  alias: "champion" | "challenger" | undefined;
  canPromote: boolean;
  onPromote: () => void;
}) {
  const t = useT(modelsMessages);
  const f = useFormat();
  const figures = figuresOf(version.metrics);
  const lineage = lineageOf(version.lineage);
  const span = lineageSpan(lineage);
  return (
    <tr data-version-id={version.id} data-version={version.version} data-alias={alias ?? ""}>
      <td>
        <strong>{t("version.label", { n: version.version })}</strong>
        {alias && <span className={`badge badge-${alias}`}>{t(`alias.${alias}`)}</span>}
      </td>
      <td>
        <time dateTime={version.createdAt}>{f.dateTime(version.createdAt)}</time>
      </td>
      <td>
        <ul className="figures">
          {figures.rmse !== undefined && <li>{t("metric.rmse", { value: f.number(round2(figures.rmse)) })}</li>}
          {figures.phm08 !== undefined && <li>{t("metric.phm08", { value: f.number(round2(figures.phm08)) })}</li>}
          {figures.falseAlarmShare !== undefined && <li>{t("metric.falseAlarms", { value: f.percent(figures.falseAlarmShare) })}</li>}
          {figures.championRmse !== undefined && (
            <li className="muted">{t("metric.championRmse", { value: f.number(round2(figures.championRmse)) })}</li>
          )}
          {figures.championFalseAlarmShare !== undefined && (
            <li className="muted">{t("metric.championFalseAlarms", { value: f.percent(figures.championFalseAlarmShare) })}</li>
          )}
          {figures.holdoutAssets !== undefined && <li className="muted">{plural(t, "metric.holdoutAssets", figures.holdoutAssets)}</li>}
        </ul>
      </td>
      <td>
        <p>
          {lineage.assetCount !== undefined && plural(t, "lineage.assets", lineage.assetCount)}
          {lineage.rows !== undefined && ` · ${plural(t, "lineage.rows", lineage.rows, { count: f.number(lineage.rows) })}`}
          {lineage.points !== undefined && ` · ${t("lineage.points", { count: f.number(lineage.points) })}`}
        </p>
        {span && <p className="muted">{t("lineage.span", { from: f.date(span.from), to: f.date(span.to) })}</p>}
        {lineage.assets.length > 0 && (
          <details className="lineage">
            <summary>{t("lineage.details")}</summary>
            <table>
              <caption className="visually-hidden">{t("lineage.caption", { n: version.version })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("lineage.asset")}</th>
                  <th scope="col">{t("lineage.rowsColumn")}</th>
                  <th scope="col">{t("lineage.from")}</th>
                  <th scope="col">{t("lineage.to")}</th>
                </tr>
              </thead>
              <tbody>
                {lineage.assets.map((a) => (
                  <tr key={a.assetId} data-lineage-asset={a.externalId}>
                    <td>{a.externalId}</td>
                    <td>{f.number(a.rows)}</td>
                    <td>{a.from ? f.dateTime(a.from) : "–"}</td>
                    <td>{a.to ? f.dateTime(a.to) : "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </td>
      {canPromote && (
        <td>
          {alias !== "champion" && (
            <button type="button" className="small" onClick={onPromote}>
              {t("promote.button", { n: version.version })}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}
