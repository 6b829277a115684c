import { useEffect, useRef } from "react";
import uPlot from "uplot";
import { useT } from "../../../lib/i18n";
import { assetMessages } from "../messages";

export interface HistorySeries {
  /** Seconds since the epoch, oldest first. */
  readonly times: number[];
  readonly values: (number | null)[];
  /** The interval around each value, when there is one. */
  readonly low?: (number | null)[];
  readonly high?: (number | null)[];
  /** A horizontal line (the anomaly threshold). */
  readonly threshold?: number | null;
}

const LINE = "#1f4e79";
const EDGE = "rgba(31, 78, 121, 0.35)";
const BAND = "rgba(31, 78, 121, 0.15)";
const LIMIT = "#a4232f";
const HEIGHT = 160;

/** A prediction history over the range: the values as a line with points, an interval band, a threshold. */
export function HistoryPlot(props: { series: HistorySeries; label: string; width: number; timeZone: string; from: number; to: number }) {
  const { series, label, width, timeZone, from, to } = props;
  const host = useRef<HTMLDivElement>(null);
  const t = useT(assetMessages);
  useEffect(() => {
    const element = host.current;
    if (!element || width <= 0) return;
    const banded = series.low !== undefined && series.high !== undefined;
    const limit = series.threshold;
    const data: uPlot.AlignedData = [series.times, series.values];
    const lines: uPlot.Series[] = [{ label: t("plot.time") }, { label, stroke: LINE, width: 1.5, points: { show: true, size: 5 } }];
    if (banded) {
      data.push(series.low ?? [], series.high ?? []);
      lines.push({ label: t("plot.low"), stroke: EDGE, width: 1 }, { label: t("plot.high"), stroke: EDGE, width: 1 });
    }
    if (limit !== null && limit !== undefined) {
      data.push(series.times.map(() => limit));
      lines.push({ label: t("plot.threshold"), stroke: LIMIT, width: 1, dash: [6, 4], points: { show: false } });
    }
    const plot = new uPlot(
      {
        width,
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
        scales: { x: { time: true, range: () => [from / 1000, to / 1000] } },
        series: lines,
        bands: banded ? [{ series: [3, 2], fill: BAND }] : [],
        axes: [{}, { size: 60 }],
        cursor: { sync: { key: "asset-telemetry" } },
      },
      data,
      element,
    );
    return () => plot.destroy();
  }, [series, label, width, timeZone, from, to, t]);
  return <div ref={host} />;
}
