import { Link } from "@tanstack/react-router";
import { formatWallTime } from "../../../lib/wall-time";
import type { MaintenanceRow } from "../api/events";
import { kindLabel } from "../lib/search";

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
  return (
    <table className="maintenance">
      <caption className="visually-hidden">Maintenance events, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When ({timeZone})</th>
          <th scope="col">Kind</th>
          {showAsset && <th scope="col">Asset</th>}
          <th scope="col">Note</th>
          <th scope="col" className="nowrap">
            Recorded by
          </th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-event-id={e.id}>
            <td className="nowrap">
              <time dateTime={e.occurredAt}>{formatWallTime(new Date(e.occurredAt), timeZone)}</time>
            </td>
            <td>
              <span className={`kind kind-${e.kind.toLowerCase()}`}>{kindLabel(e.kind)}</span>
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
            <td className="nowrap">{e.recordedByName ?? <span className="muted">an automated run</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
