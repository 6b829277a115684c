import { useEffect, useRef, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { useElementWidth } from "../../../lib/element-width";
import { common, useFormat, useT } from "../../../lib/i18n";
import { useSession } from "../../../lib/session";
import { useTelemetryBands } from "../api/aggregate";
import { downloadCsv } from "../api/export-csv";
import type { TimeMarker } from "../lib/markers";
import type { RangeKey, TimeRange } from "../lib/range";
import { formatTime } from "../lib/time-zone";
import { windowFor, windowLabel } from "../lib/window";
import { telemetryMessages } from "../messages";
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
  readonly markersTruncated: readonly ("events" | "alerts")[];
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
  const t = useT(telemetryMessages);
  const c = useT(common);
  const format = useFormat();
  const at = (date: Date) => formatTime(format, date, timeZone);

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
      <h2 id="telemetry-title">{t("panel.title")}</h2>
      <div className="toolbar">
        <RangePicker range={props.range} shown={timeRange} timeZone={timeZone} onRange={props.onRange} onTimeZone={props.onTimeZone} />
        <fieldset className="sensor-choice">
          <legend>{t("panel.sensorsShown")}</legend>
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
          {timeRange
            ? t("panel.range", { from: at(from), to: at(to), zone: timeZone, window: windowLabel(t, windowSeconds) })
            : t("panel.chooseRange")}
        </p>
        {props.range !== "custom" && (
          <button type="button" onClick={props.onRefresh}>
            {c("action.refresh")}
          </button>
        )}
        <button type="button" onClick={exportCsv} disabled={exporting || !timeRange || shownSensors.length === 0}>
          {exporting ? c("action.preparingCsv") : c("action.downloadCsv")}
        </button>
      </div>
      {exportError !== undefined && <ErrorNotice error={exportError} title={t("panel.exportFailed")} />}
      {shownSensors.length === 0 && <p className="empty">{t("panel.chooseSensor")}</p>}
      {bands.isFetching && <p role="status">{t("panel.loading")}</p>}
      {bands.isError && <ErrorNotice error={bands.error} title={t("panel.failed")} />}
      {bands.isSuccess && !bands.isPlaceholderData && shown?.points === 0 && shownSensors.length > 0 && (
        <div className="empty" role="status">
          <p className="notice-title">{t("panel.noData")}</p>
          <p>{t("panel.noDataText")}</p>
        </div>
      )}
      {shown && shown.points > 0 && (
        <MarkerTrack markers={props.markers} from={shown.from} to={shown.to} area={area} formatTime={(ms) => at(new Date(ms))} />
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
      {timeRange && <MarkerList markers={props.markers} formatTime={(ms) => at(new Date(ms))} truncated={props.markersTruncated} />}
    </section>
  );
}
