import { useMemo } from "react";
import { type Formatters, useFormat, useT } from "../../../lib/i18n";
import type { PredictionHistory } from "../api/history";
import { assetMessages } from "../messages";
import { HistoryPlot } from "./history-plot";

interface LatestAnomaly {
  readonly anomalyScore?: number | null;
  readonly anomalyThreshold?: number | null;
  readonly explanation?: unknown;
  readonly createdAt: string;
  readonly dataTime: string;
}

interface TopSensor {
  readonly sensor: string;
  readonly share: number;
}

/** The sensors that contribute most, as the scoring stored them ({ topSensors: [{ sensor, share }] }). */
export function topSensorsOf(explanation: unknown): TopSensor[] {
  if (typeof explanation !== "object" || explanation === null) return [];
  const list = (explanation as { topSensors?: unknown }).topSensors;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    if (typeof item !== "object" || item === null) return [];
    const { sensor, share } = item as { sensor?: unknown; share?: unknown };
    return typeof sensor === "string" && typeof share === "number" ? [{ sensor, share }] : [];
  });
}

const score = (format: Formatters, v: number | null | undefined) => (v === null || v === undefined ? "—" : format.fixed(v, 2));

/** The latest anomaly score against its threshold, and the sensors that contribute most to it. */
export function LatestAnomaly({ latest, formatTime }: { latest: LatestAnomaly; formatTime: (iso: string) => string }) {
  const top = topSensorsOf(latest.explanation);
  const t = useT(assetMessages);
  const format = useFormat();
  const above =
    latest.anomalyScore !== null &&
    latest.anomalyScore !== undefined &&
    latest.anomalyThreshold !== null &&
    latest.anomalyThreshold !== undefined &&
    latest.anomalyScore > latest.anomalyThreshold;
  return (
    <div
      className="latest-anomaly"
      data-score={latest.anomalyScore ?? ""}
      data-threshold={latest.anomalyThreshold ?? ""}
      data-top-sensors={top.map((s) => s.sensor).join(",")}
      data-made-at={latest.createdAt}
    >
      <dl className="facts">
        <div>
          <dt>{t("anomaly.title")}</dt>
          <dd>
            <strong>{score(format, latest.anomalyScore)}</strong>{" "}
            {t(above ? "anomaly.above" : "anomaly.within", { threshold: score(format, latest.anomalyThreshold) })}
          </dd>
        </div>
        <div>
          <dt>{t("predicted.title")}</dt>
          <dd>
            {formatTime(latest.createdAt)} <span className="muted">{t("predicted.dataOf", { time: formatTime(latest.dataTime) })}</span>
          </dd>
        </div>
      </dl>
      {top.length > 0 ? (
        <table className="top-sensors">
          <caption>{t("anomaly.topCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("anomaly.sensor")}</th>
              <th scope="col">{t("anomaly.share")}</th>
            </tr>
          </thead>
          <tbody>
            {top.map((s) => (
              <tr key={s.sensor} data-sensor={s.sensor}>
                <td>
                  <code>{s.sensor}</code>
                </td>
                <td>
                  <meter
                    min={0}
                    max={1}
                    value={Math.max(0, Math.min(1, s.share))}
                    aria-label={t("anomaly.shareOf", { sensor: s.sensor })}
                  />{" "}
                  {format.number(Math.round(s.share * 100))} %
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t("anomaly.noTop")}</p>
      )}
    </div>
  );
}

/** The anomaly scores made in the range as a line, with the latest threshold. */
export function AnomalyHistory(props: {
  history: PredictionHistory;
  threshold: number | null | undefined;
  width: number;
  timeZone: string;
  from: number;
  to: number;
}) {
  const { points } = props.history;
  const shown = useMemo(() => points.filter((p) => p.anomalyScore !== null && p.anomalyScore !== undefined), [points]);
  const series = useMemo(
    () => ({
      times: shown.map((p) => Date.parse(p.createdAt) / 1000),
      values: shown.map((p) => p.anomalyScore ?? null),
      threshold: props.threshold,
    }),
    [shown, props.threshold],
  );
  const above = shown.filter((p) => (p.anomalyScore ?? 0) > (p.anomalyThreshold ?? Number.POSITIVE_INFINITY)).length;
  const t = useT(assetMessages);
  return (
    <figure
      className="history-figure anomaly-plot"
      data-points={shown.length}
      data-above-threshold={above}
      data-from={new Date(props.from).toISOString()}
      data-to={new Date(props.to).toISOString()}
      data-truncated={props.history.truncated}
    >
      <figcaption>{t("anomaly.historyCaption")}</figcaption>
      {shown.length === 0 ? (
        <p className="muted">{t("anomaly.noHistory")}</p>
      ) : (
        <HistoryPlot
          series={series}
          label={t("anomaly.series")}
          width={props.width}
          timeZone={props.timeZone}
          from={props.from}
          to={props.to}
        />
      )}
      {props.history.truncated && <p className="muted">{t("anomaly.truncated")}</p>}
    </figure>
  );
}
