import { Link } from "@tanstack/react-router";
import { useFormat, useT } from "../../../lib/i18n";
import type { MaintenanceRow } from "../api/events";
import { maintenanceMessages } from "../messages";

/** The events, newest first; the asset column (with a link to its log) only on the fleet-wide log. */
export function MaintenanceTable({
  events,
  timeZone,
  showAsset,
}: {
  events: readonly MaintenanceRow[];
  timeZone: string;
  showAsset: boolean;
}) {
  const t = useT(maintenanceMessages);
  const format = useFormat();
  return (
    <table className="maintenance">
      <caption className="visually-hidden">{t("table.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("table.when", { zone: timeZone })}</th>
          <th scope="col">{t("table.kind")}</th>
          {showAsset && <th scope="col">{t("table.asset")}</th>}
          <th scope="col">{t("table.note")}</th>
          <th scope="col" className="nowrap">
            {t("table.recordedBy")}
          </th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-event-id={e.id}>
            <td className="nowrap">
              <time dateTime={e.occurredAt}>{format.dateTime(e.occurredAt, timeZone)}</time>
            </td>
            <td>
              <span className={`kind kind-${e.kind.toLowerCase()}`}>{t(`kind.${e.kind}`)}</span>
            </td>
            {showAsset && (
              <td>
                <Link to="/assets/$assetId/maintenance" params={{ assetId: e.assetId }} search={{}}>
                  {e.assetName}
                </Link>{" "}
                <span className="muted">{e.assetExternalId}</span>
              </td>
            )}
            <td className="note">{e.note || <span className="muted">—</span>}</td>
            <td className="nowrap">{e.recordedByName ?? <span className="muted">{t("table.automated")}</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
