import type { PortalLatestTelemetryQuery } from "../../../gql/graphql";

type Latest = PortalLatestTelemetryQuery["latestTelemetry"][number];

interface SensorInfo {
  readonly key: string;
  readonly unit: string;
}

/** Each sensor's last value and when it came; sensors that never delivered say so. */
export function LatestValues({
  sensors,
  latest,
  formatTime,
}: {
  sensors: readonly SensorInfo[];
  latest: readonly Latest[];
  formatTime: (iso: string) => string;
}) {
  const bySensor = new Map(latest.map((l) => [l.sensor, l]));
  return (
    <table className="latest">
      <caption className="visually-hidden">Latest value of each sensor</caption>
      <thead>
        <tr>
          <th scope="col">Sensor</th>
          <th scope="col">Latest value</th>
          <th scope="col">At</th>
        </tr>
      </thead>
      <tbody>
        {sensors.map((s) => {
          const last = bySensor.get(s.key);
          return (
            <tr key={s.key}>
              <td>
                <code>{s.key}</code>
              </td>
              <td>{last ? `${last.value ?? "—"}${s.unit ? ` ${s.unit}` : ""}` : "—"}</td>
              <td>{last ? formatTime(last.time) : <span className="muted">never</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
