import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useT } from "../../../lib/i18n";
import type { SensorSeries } from "../api/aggregate";
import { drawMarkers, type TimeMarker } from "../lib/markers";
import { windowLabel } from "../lib/window";
import { telemetryMessages } from "../messages";
import type { PlotArea } from "./time-markers";

export interface SensorPlotProps {
  readonly series: SensorSeries;
  readonly unit: string;
  readonly width: number;
  readonly timeZone: string;
  /** The range drawn (ms since the epoch), whatever part of it holds data. */
  readonly from: number;
  readonly to: number;
  readonly windowSeconds: number;
  /** A range selected by dragging across the plot (ms since the epoch). */
  readonly onZoom: (from: number, to: number) => void;
  /** Maintenance events and alerts, drawn on the time axis. */
  readonly markers: readonly TimeMarker[];
  /** Where the plot draws inside the figure, once drawn (for the marker track above the plots). */
  readonly onArea?: (area: PlotArea) => void;
}

const HEIGHT = 160;
const LINE = "#1f4e79";
const EDGE = "rgba(31, 78, 121, 0.35)";
const BAND = "rgba(31, 78, 121, 0.15)";

/**
 * One sensor over the range: the mean per window as a line, and a band from the window's minimum to
 * its maximum. The figure carries what it shows in data-* attributes (points, window, range).
 */
export function SensorPlot({ series, unit, width, timeZone, from, to, windowSeconds, onZoom, markers, onArea }: SensorPlotProps) {
  const host = useRef<HTMLDivElement>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;
  const area = useRef(onArea);
  area.current = onArea;
  const t = useT(telemetryMessages);

  useEffect(() => {
    const element = host.current;
    if (!element || width <= 0) return;
    const label = unit ? `${series.sensor} (${unit})` : series.sensor;
    const plot = new uPlot(
      {
        width,
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
        scales: { x: { time: true, range: () => [from / 1000, to / 1000] } },
        series: [
          { label: t("plot.time") },
          { label: t("plot.mean", { sensor: label }), stroke: LINE, width: 1.5, spanGaps: false },
          { label: t("plot.min"), stroke: EDGE, width: 1 },
          { label: t("plot.max"), stroke: EDGE, width: 1 },
        ],
        bands: [{ series: [3, 2], fill: BAND }],
        axes: [{}, { size: 60 }],
        cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: "asset-telemetry" } },
        hooks: {
          draw: [drawMarkers(markers)],
          setSelect: [
            (u) => {
              if (u.select.width < 2) return;
              const start = u.posToVal(u.select.left, "x");
              const end = u.posToVal(u.select.left + u.select.width, "x");
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              zoom.current(Math.round(start * 1000), Math.round(end * 1000));
            },
          ],
        },
      },
      [series.times, series.mean, series.min, series.max],
      element,
    );
    area.current?.({ left: plot.bbox.left / uPlot.pxRatio, width: plot.bbox.width / uPlot.pxRatio });
    return () => plot.destroy();
  }, [series, unit, width, timeZone, from, to, markers, t]);

  const points = series.mean.filter((v) => v !== null).length;
  // Windows whose band has a height: those that held more than one distinct value.
  const banded = series.max.filter((max, i) => max !== null && (series.min[i] ?? max) < max).length;
  const shownMarkers = markers.filter((m) => m.time >= from && m.time < to).length;
  const caption = t("plot.caption", { sensor: `${series.sensor}${unit ? ` (${unit})` : ""}`, window: windowLabel(t, windowSeconds) });
  return (
    <figure
      className="plot"
      data-sensor={series.sensor}
      data-points={points}
      data-band-windows={banded}
      data-window-seconds={windowSeconds}
      data-from={new Date(from).toISOString()}
      data-to={new Date(to).toISOString()}
      data-markers={shownMarkers}
    >
      <figcaption>{caption}</figcaption>
      {points === 0 && <p className="muted">{t("plot.noData")}</p>}
      <div ref={host} />
    </figure>
  );
}
