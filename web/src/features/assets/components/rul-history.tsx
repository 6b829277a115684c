import { useMemo } from "react";
import type { PredictionHistory } from "../api/history";
import { HistoryPlot, type HistorySeries } from "./history-plot";

interface LatestRul {
  readonly rul?: number | null;
  readonly rulLow?: number | null;
  readonly rulHigh?: number | null;
  readonly createdAt: string;
  readonly dataTime: string;
  readonly modelVersionId: string;
}

const cycles = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${Math.round(v)}`);

/** The latest remaining-life prediction: the figure, its interval, the model version and when it was made. */
export function LatestRul(props: { latest: LatestRul; version: number | undefined; formatTime: (iso: string) => string }) {
  const { latest, version } = props;
  return (
    <dl
      className="facts latest-rul"
      data-rul={latest.rul ?? ""}
      data-model-version={version ?? ""}
      data-model-version-id={latest.modelVersionId}
      data-made-at={latest.createdAt}
    >
      <div>
        <dt>Remaining useful life</dt>
        <dd>
          <strong>{cycles(latest.rul)} cycles</strong>{" "}
          {latest.rulLow !== null && latest.rulLow !== undefined && (
            <span className="muted">
              (interval {cycles(latest.rulLow)}–{cycles(latest.rulHigh)})
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>Model</dt>
        <dd>
          {version === undefined ? "…" : `version ${version}`} <code className="muted">{latest.modelVersionId}</code>
        </dd>
      </div>
      <div>
        <dt>Predicted</dt>
        <dd>
          {props.formatTime(latest.createdAt)} <span className="muted">(data of {props.formatTime(latest.dataTime)})</span>
        </dd>
      </div>
    </dl>
  );
}

/** The remaining-life predictions made in the range: the value as a line, its interval as a band. */
export function RulHistory(props: { history: PredictionHistory; width: number; timeZone: string; from: number; to: number }) {
  const { points, truncated } = props.history;
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
      <figcaption>Remaining useful life (cycles) per prediction, band: its prediction interval</figcaption>
      {shown.length === 0 ? (
        <p className="muted">No remaining-life prediction was made in this range.</p>
      ) : (
        <HistoryPlot series={series} label="remaining life" width={props.width} timeZone={props.timeZone} from={props.from} to={props.to} />
      )}
      {truncated && <p className="muted">The newest 500 predictions of the range are shown.</p>}
    </figure>
  );
}
