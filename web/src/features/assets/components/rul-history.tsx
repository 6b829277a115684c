import { useMemo } from "react";
import { type Formatters, useFormat, useT } from "../../../lib/i18n";
import type { PredictionHistory } from "../api/history";
import { assetMessages } from "../messages";
import { HistoryPlot, type HistorySeries } from "./history-plot";

interface LatestRul {
  readonly rul?: number | null;
  readonly rulLow?: number | null;
  readonly rulHigh?: number | null;
  readonly createdAt: string;
  readonly dataTime: string;
  readonly modelVersionId: string;
}

const cycles = (format: Formatters, v: number | null | undefined) => (v === null || v === undefined ? "—" : format.number(Math.round(v)));

/** The latest remaining-life prediction: the figure, its interval, the model version and when it was made. */
export function LatestRul(props: { latest: LatestRul; version: number | undefined; formatTime: (iso: string) => string }) {
  const { latest, version } = props;
  const t = useT(assetMessages);
  const format = useFormat();
  return (
    <dl
      className="facts latest-rul"
      data-rul={latest.rul ?? ""}
      data-model-version={version ?? ""}
      data-model-version-id={latest.modelVersionId}
      data-made-at={latest.createdAt}
    >
      <div>
        <dt>{t("rul.title")}</dt>
        <dd>
          <strong>{t("rul.cycles", { value: cycles(format, latest.rul) })}</strong>{" "}
          {latest.rulLow !== null && latest.rulLow !== undefined && (
            <span className="muted">{t("rul.interval", { low: cycles(format, latest.rulLow), high: cycles(format, latest.rulHigh) })}</span>
          )}
        </dd>
      </div>
      <div>
        <dt>{t("rul.model")}</dt>
        <dd>
          {version === undefined ? "…" : t("rul.version", { version })} <code className="muted">{latest.modelVersionId}</code>
        </dd>
      </div>
      <div>
        <dt>{t("predicted.title")}</dt>
        <dd>
          {props.formatTime(latest.createdAt)}{" "}
          <span className="muted">{t("predicted.dataOf", { time: props.formatTime(latest.dataTime) })}</span>
        </dd>
      </div>
    </dl>
  );
}

/** The remaining-life predictions made in the range: the value as a line, its interval as a band. */
export function RulHistory(props: { history: PredictionHistory; width: number; timeZone: string; from: number; to: number }) {
  const { points, truncated } = props.history;
  const t = useT(assetMessages);
  const shown = useMemo(() => points.filter((p) => p.rul !== null && p.rul !== undefined), [points]);
  const series = useMemo<HistorySeries>(
    () => ({
      times: shown.map((p) => Date.parse(p.createdAt) / 1000),
      values: shown.map((p) => p.rul ?? null),
      low: shown.map((p) => p.rulLow ?? null),
      high: shown.map((p) => p.rulHigh ?? null),
    }),
    [shown],
  );
  const banded = shown.filter((p) => (p.rulLow ?? p.rul ?? 0) < (p.rulHigh ?? p.rul ?? 0)).length;
  const values = shown.map((p) => p.rul ?? 0);
  return (
    <figure
      className="history-figure rul-plot"
      data-points={shown.length}
      data-band-points={banded}
      data-min-rul={values.length ? Math.min(...values) : ""}
      data-max-rul={values.length ? Math.max(...values) : ""}
      data-from={new Date(props.from).toISOString()}
      data-to={new Date(props.to).toISOString()}
      data-truncated={truncated}
    >
      <figcaption>{t("rul.historyCaption")}</figcaption>
      {shown.length === 0 ? (
        <p className="muted">{t("rul.noHistory")}</p>
      ) : (
        <HistoryPlot
          series={series}
          label={t("rul.series")}
          width={props.width}
          timeZone={props.timeZone}
          from={props.from}
          to={props.to}
        />
      )}
      {truncated && <p className="muted">{t("rul.truncated")}</p>}
    </figure>
  );
}
