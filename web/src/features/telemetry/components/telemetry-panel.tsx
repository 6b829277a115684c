import { useEffect, useRef, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { useElementWidth } from "../../../lib/element-width";
import { useSession } from "../../../lib/session";
import { useTelemetryBands } from "../api/aggregate";
import { downloadCsv } from "../api/export-csv";
import type { TimeMarker } from "../lib/markers";
import type { RangeKey, TimeRange } from "../lib/range";
import { formatTime } from "../lib/time-zone";
import { windowFor, windowLabel } from "../lib/window";
import { type RangeChoice, RangePicker } from "./range-picker";
import { SensorPlot } from "./sensor-plot";
import { MarkerList, MarkerTrack, type PlotArea } from "./time-markers";

export interface PlottableSensor {
  readonly key: string;
  readonly unit: string;
}

interface TelemetryPanelProps {
  readonly assetId: string;
  readonly externalId: string;
  /** The type's numeric sensors (booleans have no mean, minimum or maximum). */
  readonly sensors: readonly PlottableSensor[];
  /** Those drawn. */
  readonly shownSensors: readonly string[];
  readonly range: RangeKey;
  readonly timeRange: TimeRange | undefined;
  readonly timeZone: string;
  readonly onRange: (choice: RangeChoice) => void;
  readonly onTimeZone: (timeZone: string) => void;
  readonly onSensors: (sensors: string[]) => void;
  /** Asks for the relative range again, up to now. */
  readonly onRefresh: () => void;
  /** Maintenance events and alerts of the range, on the time axis and listed below the plots. */
  readonly markers: readonly TimeMarker[];
  /** Sources of markers that had more in the range than they answered. */
  readonly markersTruncated: readonly string[];
  /** Called once the plots have their first answer (or nothing to ask): the page's other requests wait for it. */
  readonly onSettled?: () => void;
}

/** The range, the sensors and their plots, with the CSV of what is shown. */
export function TelemetryPanel(props: TelemetryPanelProps) {
  const { assetId, sensors, shownSensors, timeRange, timeZone } = props;
  const session = useSession();
  const plots = useRef<HTMLDivElement>(null);
  const width = useElementWidth(plots);
  const [exportError, setExportError] = useState<unknown>();
  const [exporting, setExporting] = useState(false);
  const [area, setArea] = useState<PlotArea>();

  const from = timeRange?.from ?? new Date(0);
  const to = timeRange?.to ?? new Date(1);
  const windowSeconds = windowFor(to.getTime() - from.getTime(), width, shownSensors.length);
  const bands = useTelemetryBands(
    session?.tenantId ?? "",
    { assetId, from, to, windowSeconds, sensors: shownSensors },
    width > 0 && timeRange !== undefined,
  );
  const settled = bands.isSuccess || bands.isError || shownSensors.length === 0 || timeRange === undefined;
  const onSettled = useRef(props.onSettled);
  onSettled.current = props.onSettled;
  useEffect(() => {
    if (settled) onSettled.current?.();
  }, [settled]);
  const units = new Map(sensors.map((s) => [s.key, s.unit]));
  const shown = bands.data;

  const exportCsv = async () => {
    if (!timeRange) return;
    setExporting(true);
    setExportError(undefined);
    try {
      await downloadCsv({ assetId, from, to, sensors: shownSensors, fallbackName: `${props.externalId}.csv` });
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section aria-labelledby="telemetry-title" className="telemetry">
      <h2 id="telemetry-title">Telemetry</h2>
      <div className="toolbar">
        <RangePicker range={props.range} shown={timeRange} timeZone={timeZone} onRange={props.onRange} onTimeZone={props.onTimeZone} />
        <fieldset className="sensor-choice">
          <legend>Sensors shown</legend>
          {sensors.map((s) => (
            <label key={s.key}>
              <input
                type="checkbox"
                checked={shownSensors.includes(s.key)}
                onChange={(event) =>
                  props.onSensors(
                    event.target.checked
                      ? sensors.map((x) => x.key).filter((k) => k === s.key || shownSensors.includes(k))
                      : shownSensors.filter((k) => k !== s.key),
                  )
                }
              />{" "}
              {s.key}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="range-line">
        <p className="muted" aria-live="polite">
          {timeRange ? (
            <>
              {formatTime(from, timeZone)} – {formatTime(to, timeZone)} ({timeZone}), one point per {windowLabel(windowSeconds)}
            </>
          ) : (
            "Choose a range."
          )}
        </p>
        {props.range !== "custom" && (
          <button type="button" onClick={props.onRefresh}>
            Refresh
          </button>
        )}
        <button type="button" onClick={exportCsv} disabled={exporting || !timeRange || shownSensors.length === 0}>
          {exporting ? "Preparing CSV…" : "Download CSV"}
        </button>
      </div>
      {exportError !== undefined && <ErrorNotice error={exportError} title="Could not export the range" />}
      {shownSensors.length === 0 && <p className="empty">Choose at least one sensor to plot.</p>}
      {bands.isFetching && <p role="status">Loading telemetry…</p>}
      {bands.isError && <ErrorNotice error={bands.error} title="Could not load the telemetry" />}
      {bands.isSuccess && !bands.isPlaceholderData && shown?.points === 0 && shownSensors.length > 0 && (
        <div className="empty" role="status">
          <p className="notice-title">No data in this range</p>
          <p>Choose a longer range, or check that the asset's device is sending.</p>
        </div>
      )}
      {shown && shown.points > 0 && (
        <MarkerTrack
          markers={props.markers}
          from={shown.from}
          to={shown.to}
          area={area}
          formatTime={(ms) => formatTime(new Date(ms), timeZone)}
        />
      )}
      <div ref={plots} className="plots" data-state={bands.isFetching ? "loading" : bands.status}>
        {shown &&
          shown.points > 0 &&
          shown.series.map((series, i) => (
            <SensorPlot
              key={series.sensor}
              series={series}
              unit={units.get(series.sensor) ?? ""}
              width={width}
              timeZone={timeZone}
              from={shown.from}
              to={shown.to}
              windowSeconds={shown.windowSeconds}
              markers={props.markers}
              onArea={i === 0 ? (a) => setArea((old) => (old?.left === a.left && old.width === a.width ? old : a)) : undefined}
              onZoom={(start, end) =>
                props.onRange({ range: "custom", from: new Date(start).toISOString(), to: new Date(end).toISOString() })
              }
            />
          ))}
      </div>
      {timeRange && (
        <MarkerList markers={props.markers} formatTime={(ms) => formatTime(new Date(ms), timeZone)} truncated={props.markersTruncated} />
      )}
    </section>
  );
}
