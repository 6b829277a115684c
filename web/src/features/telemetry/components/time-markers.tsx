import { useLayoutEffect, useRef } from "react";
import { useT } from "../../../lib/i18n";
import { MARKER_STYLES, type MarkerKind, type TimeMarker } from "../lib/markers";
import { telemetryMessages } from "../messages";

/** Where the plots draw inside their figure, in CSS pixels. */
export interface PlotArea {
  readonly left: number;
  readonly width: number;
}

const markerDomId = (m: TimeMarker) => `marker-${m.id}`;

/** One marker on the track, placed at its time through the CSS object model (no style attribute). */
function TrackMarker({ marker, left, formatTime }: { marker: TimeMarker; left: number; formatTime: (ms: number) => string }) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    if (ref.current) ref.current.style.left = `${left}px`;
  }, [left]);
  const style = MARKER_STYLES[marker.kind];
  const tipId = `${markerDomId(marker)}-tip`;
  return (
    <span ref={ref} className="track-marker">
      <button
        type="button"
        className={`marker marker-${marker.kind}`}
        aria-describedby={tipId}
        onClick={() => document.getElementById(markerDomId(marker))?.focus()}
      >
        <span aria-hidden="true">{style.glyph}</span>
        {style.letter}
        <span className="visually-hidden">{` ${marker.title}, ${formatTime(marker.time)}`}</span>
      </button>
      <span role="tooltip" id={tipId} className="marker-tip">
        <strong>{marker.title}</strong> · {formatTime(marker.time)}
        <br />
        {marker.detail}
      </span>
    </span>
  );
}

/**
 * The markers in the range on a strip aligned with the plots' time axis: each its shape and letter,
 * its details on hover or focus; a click moves to its line in the list below the plots.
 */
export function MarkerTrack(props: {
  markers: readonly TimeMarker[];
  from: number;
  to: number;
  area: PlotArea | undefined;
  formatTime: (ms: number) => string;
}) {
  const { markers, from, to, area } = props;
  const shown = markers.filter((m) => m.time >= from && m.time < to);
  const t = useT(telemetryMessages);
  if (!area || shown.length === 0) return null;
  return (
    <div className="marker-track" data-markers={shown.length}>
      <span className="muted marker-track-label">{t("markers.events")}</span>
      {shown.map((m) => (
        <TrackMarker
          key={m.id}
          marker={m}
          left={area.left + ((m.time - from) / Math.max(1, to - from)) * area.width}
          formatTime={props.formatTime}
        />
      ))}
    </div>
  );
}

/** Every marker of the range as a list, oldest first: the same facts without a pointer. */
export function MarkerList(props: {
  markers: readonly TimeMarker[];
  formatTime: (ms: number) => string;
  /** Sources that had more in the range than they answered. */
  truncated: readonly ("events" | "alerts")[];
}) {
  const sorted = [...props.markers].sort((a, b) => a.time - b.time);
  const t = useT(telemetryMessages);
  const events = props.truncated.includes("events");
  const alerts = props.truncated.includes("alerts");
  return (
    <section aria-labelledby="markers-title" className="marker-list">
      <h3 id="markers-title">{t("markers.title")}</h3>
      <p className="muted marker-legend">
        {(Object.entries(MARKER_STYLES) as [MarkerKind, (typeof MARKER_STYLES)[MarkerKind]][]).map(([kind, s]) => (
          <span key={s.letter} className={`legend-item marker-${kind}`}>
            <span aria-hidden="true">
              {s.glyph}
              {s.letter}
            </span>{" "}
            {t(`marker.${kind}`)}
          </span>
        ))}
      </p>
      {sorted.length === 0 ? (
        <p className="muted">{t("markers.none")}</p>
      ) : (
        <ul data-markers={sorted.length}>
          {sorted.map((m) => {
            const style = MARKER_STYLES[m.kind];
            return (
              <li key={m.id} id={markerDomId(m)} tabIndex={-1} data-kind={m.kind} data-time={new Date(m.time).toISOString()}>
                <span aria-hidden="true" className={`marker-${m.kind}`}>
                  {style.glyph}
                  {style.letter}
                </span>{" "}
                <strong>{m.title}</strong> <span className="muted">{props.formatTime(m.time)}</span> — {m.detail}
              </li>
            );
          })}
        </ul>
      )}
      {(events || alerts) && (
        <p className="muted">
          {t(events && alerts ? "markers.truncated.both" : events ? "markers.truncated.events" : "markers.truncated.alerts")}
        </p>
      )}
    </section>
  );
}
