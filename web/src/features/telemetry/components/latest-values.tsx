import type { PortalLatestTelemetryQuery } from "../../../gql/graphql";
import { type Formatters, useFormat, useT } from "../../../lib/i18n";
import { telemetryMessages } from "../messages";

type Latest = PortalLatestTelemetryQuery["latestTelemetry"][number];

interface SensorInfo {
  readonly key: string;
  readonly unit: string;
}

/** A value as a person reads it: numbers in the page's language, other values as they came. */
const valueText = (format: Formatters, value: unknown): string => {
  if (value === null || value === undefined) return "—";
  return typeof value === "number" ? format.number(value) : String(value);
};

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
  const t = useT(telemetryMessages);
  const format = useFormat();
  return (
    <table className="latest">
      <caption className="visually-hidden">{t("latest.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("latest.sensor")}</th>
          <th scope="col">{t("latest.value")}</th>
          <th scope="col">{t("latest.at")}</th>
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
              <td>{last ? `${valueText(format, last.value)}${s.unit ? ` ${s.unit}` : ""}` : "—"}</td>
              <td>{last ? formatTime(last.time) : <span className="muted">{t("latest.never")}</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
