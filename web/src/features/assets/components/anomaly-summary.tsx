import { useMemo } from "react";
import type { PredictionHistory } from "../api/history";
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

const score = (v: number | null | undefined) => (v === null || v === undefined ? "—" : v.toFixed(2));

/** The latest anomaly score against its threshold, and the sensors that contribute most to it. */
export function LatestAnomaly({ latest, formatTime }: { latest: LatestAnomaly; formatTime: (iso: string) => string }) {
  const top = topSensorsOf(latest.explanation);
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
      data-top-sensors={top.map((t) => t.sensor).join(",")}
      data-made-at={latest.createdAt}
    >
      <dl className="facts">
        <div>
          <dt>Anomaly score</dt>
          <dd>
            <strong>{score(latest.anomalyScore)}</strong> {above ? "above" : "within"} the threshold of {score(latest.anomalyThreshold)}
          </dd>
        </div>
        <div>
          <dt>Predicted</dt>
          <dd>
            {formatTime(latest.createdAt)} <span className="muted">(data of {formatTime(latest.dataTime)})</span>
          </dd>
        </div>
      </dl>
      {top.length > 0 ? (
        <table className="top-sensors">
          <caption>Sensors contributing most to the latest score</caption>
          <thead>
            <tr>
              <th scope="col">Sensor</th>
              <th scope="col">Share of the score</th>
            </tr>
          </thead>
          <tbody>
            {top.map((t) => (
              <tr key={t.sensor} data-sensor={t.sensor}>
                <td>
                  <code>{t.sensor}</code>
                </td>
                <td>
                  <meter min={0} max={1} value={Math.max(0, Math.min(1, t.share))} aria-label={`${t.sensor} share`} />{" "}
                  {Math.round(t.share * 100)} %
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">The latest score names no contributing sensors.</p>
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
  return (
    <figure
      className="history-figure anomaly-plot"
      data-points={shown.length}
      data-above-threshold={above}
      data-from={new Date(props.from).toISOString()}
      data-to={new Date(props.to).toISOString()}
      data-truncated={props.history.truncated}
    >
      <figcaption>Anomaly score per prediction, dashed: the threshold</figcaption>
      {shown.length === 0 ? (
        <p className="muted">No anomaly score was computed in this range.</p>
      ) : (
        <HistoryPlot series={series} label="anomaly score" width={props.width} timeZone={props.timeZone} from={props.from} to={props.to} />
      )}
      {props.history.truncated && <p className="muted">The newest 500 scores of the range are shown.</p>}
    </figure>
  );
}
